//! Client code that uses a service-account token the way it is meant to be used: Python's
//! official `kubernetes` client, Go's `client-go`, and `curl`, each verifying the API server's
//! certificate against the cluster's CA.
//!
//! The tutorials people follow build clients with `verify_ssl = False` or `SkipTlsVerify`, and
//! read a token once at start-up. Neither survives contact with a real cluster: a verification
//! that is off lets anyone on the path take the token, and a projected token is renewed by
//! kubelet, so a process that read it once fails after an hour (or a year, if the API server
//! extends it). So every snippet here trusts the CA and none turns verification off, and the
//! in-cluster ones use the loader that re-reads the token file (Python's
//! `load_incluster_config`, client-go's `rest.InClusterConfig`, both re-read it every minute).
//!
//! Values from the form end up inside Python, Go and shell source, so each is quoted for its
//! language: [`code_string`] for Python and Go string literals, `shell::quote` for commands,
//! and [`path_segment`] for names inside a URL.

use crate::formats::shell::quote;
use crate::kubeconfig::KubeconfigOutput;

/// Where kubelet puts the default token, the CA and the namespace inside a Pod.
pub const IN_CLUSTER_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The API server's name inside the cluster, as the Pod's CA certificate names it.
pub const IN_CLUSTER_SERVER: &str = "https://kubernetes.default.svc";

/// What the snippets are written from: the kubeconfig form's values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientForm {
    /// The API server's URL, for `curl`.
    pub server: String,
    /// The CA file `curl` trusts; empty to trust the system's CAs (publicly trusted servers).
    pub ca_file: String,
    /// The namespace to list pods in; `default` when empty.
    pub namespace: String,
    /// The kubeconfig file the Python and Go snippets load.
    pub kubeconfig_file: String,
    /// The context to use; empty for the file's current context.
    pub context: String,
    /// A pod to read; empty to read the first one listed (`curl` shows a placeholder).
    pub pod: String,
}

impl ClientForm {
    /// The values of a built kubeconfig: its file, context, server, namespace, and the CA file
    /// its script writes (none when the kubeconfig has no CA).
    pub fn from_kubeconfig(output: &KubeconfigOutput) -> ClientForm {
        let written = &output.written;
        ClientForm {
            server: written.server.clone(),
            ca_file: if written.ca.is_empty() {
                String::new()
            } else {
                output.ca_file_name.clone()
            },
            namespace: written.namespace.clone(),
            kubeconfig_file: output.file_name.clone(),
            context: written.context_name.clone(),
            pod: String::new(),
        }
    }

    fn namespace(&self) -> &str {
        match self.namespace.trim() {
            "" => "default",
            namespace => namespace,
        }
    }

    fn kubeconfig_file(&self) -> &str {
        match self.kubeconfig_file.trim() {
            "" => "kubeconfig.yaml",
            file => file,
        }
    }
}

/// The language a snippet is written in, for highlighting and the download's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Python 3.
    Python,
    /// Go.
    Go,
    /// POSIX shell (bash, zsh).
    Shell,
}

/// One piece of client code and why it is written so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// A stable name for the page and the tests (`python-kubeconfig`, `curl`, …).
    pub id: &'static str,
    /// What it is, in a few words.
    pub title: &'static str,
    /// The language.
    pub language: Language,
    /// A name to save it under.
    pub file_name: &'static str,
    /// The code, ending with a line break.
    pub code: String,
    /// Why it is written this way: one or two sentences.
    pub why: &'static str,
}

/// Every snippet for `form`: Python and Go with the kubeconfig and in a Pod, and `curl`.
pub fn snippets(form: &ClientForm) -> Vec<Snippet> {
    vec![
        python_kubeconfig(form),
        python_new_client(form),
        python_in_cluster(form),
        go_kubeconfig(form),
        go_in_cluster(form),
        curl(form),
        curl_in_cluster(),
    ]
}

/// `text` as a string literal both Python 3 and Go read back exactly: double quotes, with `\`,
/// `"`, and every control or invisible character escaped (`\n`, `\u202e`), so no value can end
/// the literal, break the line, or hide in the source.
pub fn code_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || crate::formats::yaml_write::invisible(c) => {
                let code = u32::from(c);
                if code > 0xFFFF {
                    out.push_str(&format!("\\U{code:08x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as one segment of a URL path: everything but RFC 3986's unreserved characters
/// percent-encoded, so a name can never add a segment, a query or a host.
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // `.` and `..` alone are path steps, not names.
    if out == "." || out == ".." {
        out = out.replace('.', "%2E");
    }
    out
}

/// The Python lines that list the namespace's pods and read one, with `v1` a `CoreV1Api`.
fn python_pods(form: &ClientForm) -> String {
    let mut s = String::new();
    s.push_str("pods = v1.list_namespaced_pod(NAMESPACE)\n");
    s.push_str("for pod in pods.items:\n    print(pod.metadata.name)\n\n");
    if form.pod.trim().is_empty() {
        s.push_str("if pods.items:\n");
        s.push_str("    pod = v1.read_namespaced_pod(pods.items[0].metadata.name, NAMESPACE)\n");
        s.push_str("    print(pod.metadata.name, pod.status.phase)\n");
    } else {
        s.push_str("pod = v1.read_namespaced_pod(POD, NAMESPACE)\n");
        s.push_str("print(pod.metadata.name, pod.status.phase)\n");
    }
    s
}

/// The constants the Python snippets share.
fn python_constants(form: &ClientForm, with_file: bool) -> String {
    let mut s = String::new();
    if with_file {
        s.push_str(&format!(
            "KUBECONFIG = {}\n",
            code_string(form.kubeconfig_file())
        ));
        if !form.context.trim().is_empty() {
            s.push_str(&format!("CONTEXT = {}\n", code_string(&form.context)));
        }
    }
    s.push_str(&format!("NAMESPACE = {}\n", code_string(form.namespace())));
    if !form.pod.trim().is_empty() {
        s.push_str(&format!("POD = {}\n", code_string(form.pod.trim())));
    }
    s
}

fn python_context_arg(form: &ClientForm) -> &'static str {
    if form.context.trim().is_empty() {
        ""
    } else {
        ", context=CONTEXT"
    }
}

fn python_kubeconfig(form: &ClientForm) -> Snippet {
    let mut s = String::from("from kubernetes import client, config\n\n");
    s.push_str(&python_constants(form, true));
    s.push_str(
        "\n# Server, CA and token come from the kubeconfig; the client verifies the server's\n\
         # certificate against that CA (never set verify_ssl = False).\n",
    );
    s.push_str(&format!(
        "config.load_kube_config(config_file=KUBECONFIG{})\n",
        python_context_arg(form)
    ));
    s.push_str("v1 = client.CoreV1Api()\n\n");
    s.push_str(&python_pods(form));
    Snippet {
        id: "python-kubeconfig",
        title: "Python: the kubeconfig file",
        language: Language::Python,
        file_name: "list_pods.py",
        code: s,
        why: "load_kube_config reads the server, the CA and the token from the file and verifies \
              TLS with that CA. The token in the file does not renew: a process that outlives \
              it needs a new kubeconfig, or should run in the cluster with the in-cluster \
              loader.",
    }
}

fn python_new_client(form: &ClientForm) -> Snippet {
    let mut s = String::from("from kubernetes import client, config\n\n");
    s.push_str(&python_constants(form, true));
    s.push_str(
        "\n# A client of its own, so the global configuration (and other clusters' clients)\n\
         # stay as they are. TLS is verified against the kubeconfig's CA.\n",
    );
    s.push_str(&format!(
        "api = config.new_client_from_config(config_file=KUBECONFIG{})\n",
        python_context_arg(form)
    ));
    s.push_str("v1 = client.CoreV1Api(api)\n\n");
    s.push_str(&python_pods(form));
    Snippet {
        id: "python-new-client",
        title: "Python: a client of its own",
        language: Language::Python,
        file_name: "list_pods_client.py",
        code: s,
        why: "new_client_from_config returns an ApiClient instead of changing the global \
              configuration: the way to talk to several clusters from one program.",
    }
}

fn python_in_cluster(form: &ClientForm) -> Snippet {
    let mut s = String::from("from kubernetes import client, config\n\n");
    s.push_str(&python_constants(form, false));
    s.push_str(&format!(
        "\n# Inside a Pod: the server from KUBERNETES_SERVICE_HOST and _PORT, the CA and the\n\
         # token from {IN_CLUSTER_DIR}. The loader re-reads the\n\
         # token file as kubelet renews it, so a long-running process keeps a valid token.\n"
    ));
    s.push_str("config.load_incluster_config()\n");
    s.push_str("v1 = client.CoreV1Api()\n\n");
    s.push_str(&python_pods(form));
    Snippet {
        id: "python-in-cluster",
        title: "Python: inside a Pod",
        language: Language::Python,
        file_name: "list_pods_in_cluster.py",
        code: s,
        why: "kubelet renews a Pod's token before it expires and writes the new one to the same \
              file. load_incluster_config re-reads that file (every minute); a process that read \
              the token once at start keeps the old one and is refused when it expires.",
    }
}

/// The Go program around `load`, the lines that make `config`.
fn go_program(form: &ClientForm, imports: &str, load: &str) -> String {
    let namespace = code_string(form.namespace());
    let mut s = String::from("package main\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\n");
    s.push_str("\tmetav1 \"k8s.io/apimachinery/pkg/apis/meta/v1\"\n");
    s.push_str("\t\"k8s.io/client-go/kubernetes\"\n");
    s.push_str(imports);
    s.push_str(")\n\nfunc main() {\n");
    s.push_str(load);
    s.push_str("\tclientset, err := kubernetes.NewForConfig(config)\n");
    s.push_str("\tif err != nil {\n\t\tpanic(err)\n\t}\n");
    s.push_str(&format!("\tpods := clientset.CoreV1().Pods({namespace})\n"));
    s.push_str("\tlist, err := pods.List(context.TODO(), metav1.ListOptions{})\n");
    s.push_str("\tif err != nil {\n\t\tpanic(err)\n\t}\n");
    s.push_str("\tfor _, pod := range list.Items {\n\t\tfmt.Println(pod.Name)\n\t}\n");
    let name = if form.pod.trim().is_empty() {
        s.push_str("\tif len(list.Items) == 0 {\n\t\treturn\n\t}\n");
        "list.Items[0].Name".to_string()
    } else {
        code_string(form.pod.trim())
    };
    s.push_str(&format!(
        "\tpod, err := pods.Get(context.TODO(), {name}, metav1.GetOptions{{}})\n"
    ));
    s.push_str("\tif err != nil {\n\t\tpanic(err)\n\t}\n");
    s.push_str("\tfmt.Println(pod.Name, pod.Status.Phase)\n}\n");
    s
}

fn go_kubeconfig(form: &ClientForm) -> Snippet {
    let load = format!(
        "\t// Server, CA and token from the kubeconfig (its current context); TLS is verified\n\
         \t// against the CA in the file.\n\
         \tconfig, err := clientcmd.BuildConfigFromFlags(\"\", {})\n\
         \tif err != nil {{\n\t\tpanic(err)\n\t}}\n",
        code_string(form.kubeconfig_file())
    );
    Snippet {
        id: "go-kubeconfig",
        title: "Go: the kubeconfig file",
        language: Language::Go,
        file_name: "main.go",
        code: go_program(form, "\t\"k8s.io/client-go/tools/clientcmd\"\n", &load),
        why: "BuildConfigFromFlags reads the kubeconfig's current context (the one the \
              kubeconfig page writes) and verifies TLS with its CA. Like any token in a file \
              that nobody renews, it stops working when the token expires.",
    }
}

fn go_in_cluster(form: &ClientForm) -> Snippet {
    let load =
        "\t// Inside a Pod: the server from KUBERNETES_SERVICE_HOST and _PORT, the CA and the\n\
                \t// token from the mounted service-account files; the token file is re-read as\n\
                \t// kubelet renews it.\n\
                \tconfig, err := rest.InClusterConfig()\n\
                \tif err != nil {\n\t\tpanic(err)\n\t}\n";
    Snippet {
        id: "go-in-cluster",
        title: "Go: inside a Pod",
        language: Language::Go,
        file_name: "main.go",
        code: go_program(form, "\t\"k8s.io/client-go/rest\"\n", load),
        why: "rest.InClusterConfig points client-go at the token file rather than its contents, \
              and client-go re-reads the file (every minute), so the renewed token is used \
              without a restart.",
    }
}

/// `curl` with the CA (or the system's CAs) and the token from `$TOKEN`. The URL comes after
/// `--`, curl's end of options, so a server typed as `-K/etc/x` or `--proxy=…` stays a URL
/// (curl then refuses it) instead of becoming an option; `--cacert` takes the next word
/// whatever it starts with.
fn curl_line(ca: &str, url: &str) -> String {
    let tls = if ca.is_empty() {
        String::new()
    } else {
        format!("--cacert {} ", quote(ca))
    };
    format!(
        "curl --globoff {tls}-H \"Authorization: Bearer $TOKEN\" -- {}\n",
        quote(url)
    )
}

fn curl(form: &ClientForm) -> Snippet {
    let server = match form.server.trim().trim_end_matches('/') {
        "" => "https://API-SERVER:6443",
        server => server,
    };
    let namespace = path_segment(form.namespace());
    let pod = match form.pod.trim() {
        "" => "POD-NAME".to_string(),
        pod => path_segment(pod),
    };
    let ca = form.ca_file.trim();
    // Stops with a message, rather than sending "Bearer " alone, when TOKEN is not set.
    let mut s = String::from(": \"${TOKEN:?set TOKEN to the service account token first}\"\n");
    for path in [
        "/api".to_string(),
        "/version".to_string(),
        format!("/api/v1/namespaces/{namespace}/pods"),
        format!("/api/v1/namespaces/{namespace}/pods/{pod}"),
    ] {
        s.push_str(&curl_line(ca, &format!("{server}{path}")));
    }
    Snippet {
        id: "curl",
        title: "curl: the API by hand",
        language: Language::Shell,
        file_name: "api.sh",
        code: s,
        why: "--cacert makes curl verify the server against the cluster's CA (the file the \
              kubeconfig page's script writes); never use -k. The token comes from $TOKEN, so \
              it stays out of the page and the shell's history.",
    }
}

fn curl_in_cluster() -> Snippet {
    let mut s = format!("SA={IN_CLUSTER_DIR}\n");
    s.push_str(&format!(
        "curl --cacert \"$SA/ca.crt\" -H \"Authorization: Bearer $(cat \"$SA/token\")\" \
         \"{IN_CLUSTER_SERVER}/api/v1/namespaces/$(cat \"$SA/namespace\")/pods\"\n"
    ));
    Snippet {
        id: "curl-in-cluster",
        title: "curl: inside a Pod",
        language: Language::Shell,
        file_name: "api-in-cluster.sh",
        code: s,
        why: "Reads the token file at each request, so it always sends the token kubelet last \
              renewed; the Pod's ca.crt names kubernetes.default.svc, which curl verifies.",
    }
}

/// The PyJWT 2 way to read a token's claims without checking its signature, for those whose
/// tutorial writes `verify=False`, which PyJWT 2 ignores (with a warning) and then refuses
/// the call for want of `algorithms`.
pub fn pyjwt_decode() -> Snippet {
    let code = "import os\n\n\
                import jwt  # PyJWT 2: pip install pyjwt\n\n\
                token = os.environ[\"TOKEN\"]\n\
                # Reads the claims WITHOUT checking the signature (nor exp or aud): for looking\n\
                # at a token, never for deciding whether to trust it.\n\
                header = jwt.get_unverified_header(token)\n\
                claims = jwt.decode(token, options={\"verify_signature\": False})\n\
                print(header)\n\
                print(claims)\n"
        .to_string();
    Snippet {
        id: "pyjwt",
        title: "Python: decode with PyJWT 2",
        language: Language::Python,
        file_name: "decode_token.py",
        code,
        why: "PyJWT 2 ignores jwt.decode(token, verify=False); options={\"verify_signature\": \
              False} is how it decodes without verifying. Trust comes only from the API server (a TokenReview) \
              or a signature check against the cluster's keys.",
    }
}
