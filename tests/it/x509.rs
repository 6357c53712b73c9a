//! CA certificates: every certificate in the vectors and fixtures read into the values
//! `openssl x509` shows (and checked against openssl itself: skipped without openssl, except in
//! CI, where that fails), findings at
//! a given `now`, chain links verified natively with RustCrypto standing in for WebCrypto, and
//! every error path.

use crate::common;
use crate::native_verify;

use std::process::{Command, Stdio};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use native_verify::native_verify;
use serde_json::Value;
use tokenscope::crypto::keys::{PemError, PemProblem};
use tokenscope::crypto::spki::Curve;
use tokenscope::crypto::webcrypto::{Algorithm, Hash, NotChecked};
use tokenscope::crypto::x509::{
    parse_bundle, prepare_signature_check, signature_status, summarise, Bundle, CertError,
    Certificate, Constraints, FindingKind, KeyIdCheck,
};
use tokenscope::support::finding::Level;
use tokenscope::support::time::{days_from_civil, iso8601, UnixSeconds};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

/// A file under `tests/fixtures/`: `minted/…`, `real/…`, or `fixtures/…` for the certificates
/// made once for this file, which lie at the top of that directory.
fn read(path: &str) -> String {
    let full = format!(
        "{VECTORS}{}",
        path.strip_prefix("fixtures/").unwrap_or(path)
    );
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {full}: {e}"))
}

fn fact(name: &str) -> String {
    let facts: Value = serde_json::from_str(&read("minted/facts.json")).unwrap();
    facts[name].as_str().expect(name).to_string()
}

fn bundle(input: &str) -> Bundle {
    match parse_bundle(input) {
        Ok(b) => {
            assert!(
                b.problems.is_empty(),
                "unexpected problems: {:?}",
                b.problems
            );
            b
        }
        Err(e) => panic!("parse_bundle failed: {e}"),
    }
}

fn certs(path: &str) -> Vec<Certificate> {
    bundle(&read(path)).certs
}

/// Every certificate file the tests know, with how many certificates it holds.
const ALL: &[(&str, usize)] = &[
    ("minted/ca.crt", 1),
    ("minted/chain.pem", 2),
    ("minted/ca.der.b64", 1),
    ("minted/expired-ca.crt", 1),
    ("minted/server.crt", 1),
    ("real/certs/k3s-server-ca-ec-p256-serial0.crt", 1),
    ("real/certs/k8s-client-js-test-cert-year4763.pem", 1),
    ("real/certs/kubeadm-ca-rsa-bradshaw.crt", 1),
    ("real/certs/minikubeCA-argocd-2018.crt", 1),
    ("fixtures/weak-sha1-rsa1024.crt", 1),
    ("fixtures/md5-rsa2048.crt", 1),
    ("fixtures/p384-root.crt", 1),
    ("fixtures/v1-leaf-by-p384.crt", 1),
    ("fixtures/x400-san-p256.crt", 1),
    ("fixtures/valid-1950-to-2049-p256.crt", 1),
    ("fixtures/critical-extensions-p256.crt", 1),
    ("fixtures/critical-dirname-p256.crt", 1),
];

/// The values a person reads off one certificate. The minted certificates' serial numbers are
/// random: those come from facts.json.
struct Expect<'a> {
    subject: &'static str,
    issuer: &'static str,
    serial: &'a str,
    not_before: &'static str,
    not_after: &'static str,
    public_key: &'static str,
    signature: &'static str,
    ca: Option<Constraints>,
    sans: &'static [&'static str],
    self_signed: bool,
}

fn check(cert: &Certificate, e: &Expect) {
    let name = &cert.subject;
    assert_eq!(cert.subject, e.subject);
    assert_eq!(cert.issuer, e.issuer, "{name}");
    assert_eq!(cert.serial, e.serial, "{name}");
    assert_eq!(iso8601(cert.not_before), e.not_before, "{name}");
    assert_eq!(iso8601(cert.not_after), e.not_after, "{name}");
    assert_eq!(cert.public_key, e.public_key, "{name}");
    assert_eq!(cert.signature_algorithm, e.signature, "{name}");
    assert_eq!(cert.basic_constraints, e.ca, "{name}");
    assert_eq!(cert.sans, e.sans, "{name}");
    assert_eq!(cert.self_signed, e.self_signed, "{name}");
}

const CA: Option<Constraints> = Some(Constraints {
    ca: true,
    path_len: None,
});

#[test]
fn every_vector_reads_as_openssl_shows_it() {
    for (path, count) in ALL {
        assert_eq!(certs(path).len(), *count, "{path}");
    }
    let serials =
        ["ca", "intermediate", "server", "expired_ca"].map(|c| fact(&format!("{c}_serial")));
    let root = Expect {
        subject: "CN=demo-cluster-ca",
        issuer: "CN=demo-cluster-ca",
        serial: &serials[0],
        not_before: "2026-11-22T06:54:06Z",
        not_after: "2036-11-19T06:54:06Z",
        public_key: "RSA 2048-bit",
        signature: "sha256WithRSAEncryption",
        ca: CA,
        sans: &[],
        self_signed: true,
    };
    check(&certs("minted/ca.crt")[0], &root);
    check(&certs("minted/ca.der.b64")[0], &root);
    let chain = certs("minted/chain.pem");
    check(&chain[1], &root);
    check(
        &chain[0],
        &Expect {
            subject: "CN=demo-cluster-ca-intermediate",
            serial: &serials[1],
            not_after: "2031-11-21T06:54:06Z",
            public_key: "EC P-256",
            ca: Some(Constraints {
                ca: true,
                path_len: Some(0),
            }),
            self_signed: false,
            ..root
        },
    );
    check(
        &certs("minted/server.crt")[0],
        &Expect {
            subject: "CN=kube-apiserver",
            serial: &serials[2],
            not_after: "2027-11-22T06:54:06Z",
            public_key: "EC P-256",
            ca: Some(Constraints {
                ca: false,
                path_len: None,
            }),
            sans: &[
                "DNS:kubernetes",
                "DNS:kubernetes.default.svc",
                "DNS:localhost",
            ],
            self_signed: false,
            ..root
        },
    );
    check(
        &certs("minted/expired-ca.crt")[0],
        &Expect {
            subject: "CN=expired-ca",
            issuer: "CN=expired-ca",
            serial: &serials[3],
            not_before: "2025-10-19T06:54:06Z",
            not_after: "2025-11-18T06:54:06Z",
            ..root
        },
    );
    check(
        &certs("real/certs/k3s-server-ca-ec-p256-serial0.crt")[0],
        &Expect {
            subject: "CN=k3s-server-ca@1774789662",
            issuer: "CN=k3s-server-ca@1774789662",
            serial: "00",
            not_before: "2026-03-29T13:07:42Z",
            not_after: "2036-03-26T13:07:42Z",
            public_key: "EC P-256",
            signature: "ecdsa-with-SHA256",
            ..root
        },
    );
    check(
        &certs("real/certs/k8s-client-js-test-cert-year4763.pem")[0],
        &Expect {
            subject: "CN=localhost",
            issuer: "CN=localhost",
            serial: "3D:3C:9E:20:9E:38:74:DD:8F:65:85:B4:6B:75:86:61:F7:01:EA:2C",
            not_before: "2025-09-06T10:40:37Z",
            // GeneralizedTime, far past 2038 and 9999-safe arithmetic.
            not_after: "4763-08-03T10:40:37Z",
            ..root
        },
    );
    check(
        &certs("real/certs/kubeadm-ca-rsa-bradshaw.crt")[0],
        &Expect {
            subject: "CN=kubernetes",
            issuer: "CN=kubernetes",
            serial: "07:2E:8A:75:F2:A4:43:78",
            not_before: "2023-11-08T01:20:46Z",
            not_after: "2033-11-05T01:25:46Z",
            sans: &["DNS:kubernetes"],
            ..root
        },
    );
    let minikube = &certs("real/certs/minikubeCA-argocd-2018.crt")[0];
    check(
        minikube,
        &Expect {
            subject: "CN=minikubeCA",
            issuer: "CN=minikubeCA",
            serial: "01",
            not_before: "2018-12-06T01:38:40Z",
            not_after: "2028-12-04T01:38:40Z",
            ..root
        },
    );
    assert_eq!(
        minikube.extended_key_usage,
        [
            "TLS Web Client Authentication",
            "TLS Web Server Authentication"
        ]
    );
    assert_eq!(minikube.subject_key_id, None);

    let weak = &certs("fixtures/weak-sha1-rsa1024.crt")[0];
    let weak_name = r#"CN=\#weak \"legacy\" CA\ ,OU=b+OU=a,O=Test\, Inc.,C=US"#;
    check(
        weak,
        &Expect {
            subject: weak_name,
            issuer: weak_name,
            // DER holds 00 FF 00 11 22 33: the sign byte is not part of the number.
            serial: "FF:00:11:22:33",
            not_before: "2026-11-23T09:12:17Z",
            not_after: "2126-10-30T09:12:17Z",
            public_key: "RSA 1024-bit",
            signature: "sha1WithRSAEncryption",
            ca: Some(Constraints {
                ca: true,
                path_len: Some(2),
            }),
            sans: &[
                "DNS:weak.example",
                "IP Address:10.96.0.1",
                "IP Address:0:0:0:0:0:0:0:1",
                "URI:spiffe://cluster.local/ns/demo",
                "email:ops@example.com",
            ],
            self_signed: true,
        },
    );
    assert_eq!(
        weak.key_usage,
        ["Digital Signature", "Certificate Sign", "CRL Sign"]
    );
    assert_eq!(
        weak.extended_key_usage,
        [
            "TLS Web Server Authentication",
            "TLS Web Client Authentication",
            "Code Signing"
        ]
    );
    let leaf = &certs("fixtures/v1-leaf-by-p384.crt")[0];
    assert_eq!((leaf.version, leaf.basic_constraints), (1, None));
    assert_eq!(leaf.subject, "O=system:masters,CN=v1-leaf");
    assert_eq!(leaf.signature_algorithm, "ecdsa-with-SHA384");
    assert_eq!(certs("fixtures/p384-root.crt")[0].public_key, "EC P-384");
    // UTCTime's first and last instants; before 1970 is a negative Unix time.
    let old = &certs("fixtures/valid-1950-to-2049-p256.crt")[0];
    assert_eq!(iso8601(old.not_before), "1950-01-01T00:00:00Z");
    assert_eq!(iso8601(old.not_after), "2049-12-31T23:59:59Z");
    // Critical extensions: the ones Go does not know, or that must never be critical, are the
    // ones clients refuse; extensions without a row of their own are listed by name.
    let marked = &certs("fixtures/critical-extensions-p256.crt")[0];
    assert_eq!(
        marked.critical,
        [
            "basicConstraints",
            "keyUsage",
            "nameConstraints",
            "1.3.6.1.4.1.55555.1",
            "subjectKeyIdentifier"
        ]
    );
    assert_eq!(
        marked.refused_critical,
        ["1.3.6.1.4.1.55555.1", "subjectKeyIdentifier"]
    );
    assert_eq!(
        marked.other_extensions,
        ["1.3.6.1.4.1.55555.1 (critical)", "authorityInfoAccess"]
    );
    assert_eq!(
        marked.name_constraints.as_deref(),
        Some(
            "permitted: DNS:cluster.local, IP:10.0.0.0/255.0.0.0, \
             IP:FD00:0:0:0:0:0:0:0/FF00:0:0:0:0:0:0:0; excluded: DNS:internal.example"
        )
    );
    // One x400Address no longer hides the names around it.
    assert_eq!(
        certs("fixtures/x400-san-p256.crt")[0].sans,
        [
            "DNS:kubernetes",
            "X400Name:<unsupported>",
            "DNS:kubernetes.default"
        ]
    );
}

#[test]
fn no_certificate_vector_is_left_out() {
    for dir in ["minted", "real/certs"] {
        for entry in std::fs::read_dir(format!("{VECTORS}{dir}")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let path = format!("{dir}/{name}");
            if read(&path).contains("BEGIN CERTIFICATE") || name.ends_with(".der.b64") {
                assert!(ALL.iter().any(|(p, _)| *p == path), "{path} is not in ALL");
            }
        }
    }
}

#[test]
fn root_matches_facts() {
    let root = &certs("minted/ca.crt")[0];
    assert_eq!(root.sha256_fingerprint, fact("ca_sha256"));
    assert_eq!(iso8601(root.not_after), fact("ca_not_after"));
    assert_eq!(root.subject, format!("CN={}", fact("ca_subject_cn")));
    assert_eq!(
        root.subject_key_id.as_deref(),
        Some(fact("ca_subject_key_id").as_str())
    );
    assert_eq!(root.serial, fact("ca_serial"));
    assert_eq!(certs("minted/ca.der.b64")[0].der, root.der);
    assert_eq!(certs("minted/chain.pem")[1].der, root.der);
}

/// Values of one `key=value` line of openssl output, matched without regard to case
/// (openssl 1.1 prints `SHA256 Fingerprint=`, 3.x `sha256 Fingerprint=`).
fn field<'a>(output: &'a str, key: &str) -> Option<&'a str> {
    output.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        k.eq_ignore_ascii_case(key).then_some(v.trim())
    })
}

/// The line after an `-text` heading such as `X509v3 Key Usage:`.
fn after<'a>(output: &'a str, heading: &str) -> Option<&'a str> {
    let mut lines = output.lines();
    lines.find(|l| l.trim_start().starts_with(heading))?;
    lines.next().map(str::trim)
}

/// openssl prints a directoryName among the SANs in its old one-line form whatever
/// `-nameopt` says (`DirName:/C=US/O=Example`); this gives it as RFC 2253 writes it
/// (`DirName:O=Example,C=US`), as the subject rows and the app do. Enough for names whose
/// values hold no `/` or `,`.
fn dir_names_rfc2253(sans: &str) -> String {
    sans.split(", ")
        .map(|name| match name.strip_prefix("DirName:/") {
            Some(oneline) => {
                let rdns: Vec<&str> = oneline.split('/').rev().collect();
                format!("DirName:{}", rdns.join(","))
            }
            None => name.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// openssl's `X509v3 Name Constraints` block in our one-line form:
/// `permitted: DNS:a, IP:…; excluded: DNS:b`.
fn name_constraints(output: &str) -> Option<String> {
    let mut lines = output
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("X509v3 Name Constraints:"));
    let heading = lines.next()?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut parts: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines.take_while(|l| indent(l) > indent(heading)) {
        match line.trim() {
            "Permitted:" => parts.push(("permitted".into(), Vec::new())),
            "Excluded:" => parts.push(("excluded".into(), Vec::new())),
            // A directoryName comes in openssl's one-line form, `DirName:C = US, O = Example`.
            name => parts
                .last_mut()?
                .1
                .push(match name.strip_prefix("DirName:") {
                    Some(oneline) => {
                        let rdns: Vec<String> = oneline
                            .rsplit(", ")
                            .map(|r| r.replace(" = ", "="))
                            .collect();
                        format!("DirName:{}", rdns.join(","))
                    }
                    None => name.to_string(),
                }),
        }
    }
    let parts: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.join(", ")))
        .collect();
    Some(parts.join("; "))
}

/// `Nov 19 06:54:06 2036 GMT` to Unix seconds.
fn openssl_date(text: &str) -> UnixSeconds {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == parts[0])
    .unwrap() as u32
        + 1;
    let hms: Vec<i64> = parts[2].split(':').map(|n| n.parse().unwrap()).collect();
    days_from_civil(parts[3].parse().unwrap(), month, parts[1].parse().unwrap()) * 86_400
        + hms[0] * 3600
        + hms[1] * 60
        + hms[2]
}

fn openssl(pem: &str, args: &[&str]) -> Option<String> {
    let mut child = Command::new("openssl")
        .args(["x509", "-noout"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write as _;
    child.stdin.take()?.write_all(pem.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn agrees_with_openssl() {
    if !common::tool(&["openssl", "version"]) {
        return;
    }
    let mut compared = 0;
    for (path, _) in ALL {
        for cert in certs(path) {
            let pem = format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                STANDARD.encode(&cert.der)
            );
            let text = openssl(
                &pem,
                &[
                    "-text",
                    "-fingerprint",
                    "-sha256",
                    "-serial",
                    "-subject",
                    "-issuer",
                    "-startdate",
                    "-enddate",
                    "-nameopt",
                    "RFC2253",
                ],
            )
            .unwrap();
            let sha1 = openssl(&pem, &["-fingerprint", "-sha1"]).unwrap();
            let at = format!("{path}: {}", cert.subject);
            assert_eq!(
                field(&text, "sha256 Fingerprint"),
                Some(cert.sha256_fingerprint.as_str()),
                "{at}"
            );
            assert_eq!(
                field(&sha1, "sha1 Fingerprint"),
                Some(cert.sha1_fingerprint.as_str()),
                "{at}"
            );
            assert_eq!(
                field(&text, "serial"),
                Some(cert.serial.replace(':', "").as_str()),
                "{at}"
            );
            assert_eq!(field(&text, "subject"), Some(cert.subject.as_str()), "{at}");
            assert_eq!(field(&text, "issuer"), Some(cert.issuer.as_str()), "{at}");
            assert_eq!(
                openssl_date(field(&text, "notBefore").unwrap()),
                cert.not_before,
                "{at}"
            );
            assert_eq!(
                openssl_date(field(&text, "notAfter").unwrap()),
                cert.not_after,
                "{at}"
            );
            let algorithm = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("Signature Algorithm: "))
                .unwrap();
            assert_eq!(algorithm, cert.signature_algorithm, "{at}");
            let bits = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("Public-Key: ("))
                .unwrap()
                .trim_end_matches(" bit)");
            assert!(
                cert.public_key.contains(bits),
                "{at}: {bits} vs {}",
                cert.public_key
            );
            let list = |heading| after(&text, heading).map(str::to_string);
            let joined = |items: &[String]| (!items.is_empty()).then(|| items.join(", "));
            assert_eq!(
                list("X509v3 Subject Alternative Name:").map(|l| dir_names_rfc2253(&l)),
                joined(&cert.sans),
                "{at}"
            );
            assert_eq!(list("X509v3 Key Usage:"), joined(&cert.key_usage), "{at}");
            assert_eq!(
                list("X509v3 Extended Key Usage:"),
                joined(&cert.extended_key_usage),
                "{at}"
            );
            assert_eq!(
                list("X509v3 Subject Key Identifier:"),
                cert.subject_key_id,
                "{at}"
            );
            // openssl 1.1 prefixes the AKI with `keyid:`; 3.x does not.
            let aki = list("X509v3 Authority Key Identifier:")
                .map(|v| v.trim_start_matches("keyid:").to_string());
            assert_eq!(aki, cert.authority_key_id, "{at}");
            let constraints = cert.basic_constraints.map(|c| c.to_string());
            assert_eq!(list("X509v3 Basic Constraints:"), constraints, "{at}");
            assert_eq!(name_constraints(&text), cert.name_constraints, "{at}");
            // openssl marks each critical extension `Name: critical`, in the same order.
            let critical = text
                .lines()
                .filter(|l| l.trim_end().ends_with(": critical"));
            assert_eq!(critical.count(), cert.critical.len(), "{at}");
            compared += 1;
        }
    }
    assert_eq!(compared, 18);
}

/// The value of `key:` in a kubeconfig, the way a person copies it.
fn yaml_value(yaml: &str, key: &str) -> String {
    yaml.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}:")))
        .unwrap_or_else(|| panic!("{key} not found"))
        .trim()
        .to_string()
}

#[test]
fn kubeconfig_certificate_authority_data_parses() {
    let minted = bundle(&yaml_value(
        &read("minted/kubeconfig.yaml"),
        "certificate-authority-data",
    ));
    assert_eq!(minted.certs[0].sha256_fingerprint, fact("ca_sha256"));

    let admin = read("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    let ca = bundle(&yaml_value(&admin, "certificate-authority-data"));
    assert_eq!(
        ca.certs[0].der,
        certs("real/certs/kubeadm-ca-rsa-bradshaw.crt")[0].der
    );

    // The client certificate beside it chains to that CA, and the signature checks out.
    let client_b64 = yaml_value(&admin, "client-certificate-data");
    let client_pem = String::from_utf8(STANDARD.decode(&client_b64).unwrap()).unwrap();
    let both = bundle(&format!(
        "{client_pem}{}",
        read("real/certs/kubeadm-ca-rsa-bradshaw.crt")
    ));
    assert_eq!(
        both.certs[0].subject,
        "CN=kubernetes-admin,O=system:masters"
    );
    let report = summarise(&both.certs, 1_700_000_000);
    let link = &report.links[0];
    assert_eq!((link.child, link.issuer), (0, Some(1)));
    assert_eq!(link.key_ids, KeyIdCheck::Match);
    assert_eq!(native_verify(link.verify.as_ref().unwrap()), Ok(true));
    let kinds: Vec<_> = report.certs[0].findings.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FindingKind::NotCa]);

    // The key beside them is refused even though it is base64 of PEM.
    let key = yaml_value(&admin, "client-key-data");
    check_error(
        &key,
        CertError::PrivateKey {
            location: "The PEM block on line 1 in the base64-decoded text (RSA PRIVATE KEY)".into(),
        },
        &["PRIVATE key", "never be pasted anywhere"],
    );
    // The official client's placeholder data is base64 of plain words.
    let placeholder = read("real/kubeconfig/k8s-client-js-fixture-placeholder-data.yaml");
    check_error(
        &yaml_value(&placeholder, "certificate-authority-data"),
        CertError::NotCertificateData {
            decoded: "6 bytes of text \"CADATA\"".to_string(),
        },
        &["not a certificate"],
    );
}

fn verified(certs: &[Certificate], child: usize, issuer: usize) -> bool {
    let prepared = prepare_signature_check(&certs[child], &certs[issuer]).unwrap();
    native_verify(&prepared).unwrap()
}

#[test]
fn chain_links_verify_natively() {
    let chain = certs("minted/chain.pem");
    let report = summarise(&chain, 1_795_416_906);
    let links: Vec<_> = report.links.iter().map(|l| (l.child, l.issuer)).collect();
    assert_eq!(links, [(0, Some(1)), (1, Some(1))]);
    assert_eq!(
        report.links[0].summary,
        "Certificate 1 (CN=demo-cluster-ca-intermediate) is issued by certificate 2 \
         (CN=demo-cluster-ca)"
    );
    assert_eq!(
        report.links[1].summary,
        "Certificate 2 (CN=demo-cluster-ca) is self-signed"
    );
    for link in &report.links {
        let prepared = link.verify.as_ref().unwrap();
        assert_eq!(prepared.algorithm.name(), "RSASSA-PKCS1-v1_5");
        assert_eq!(native_verify(prepared), Ok(true), "{}", link.summary);
    }

    let server_and_ca = bundle(&format!(
        "{}{}",
        read("minted/server.crt"),
        read("minted/ca.crt")
    ))
    .certs;
    assert!(verified(&server_and_ca, 0, 1));
    let alone = summarise(&certs("minted/server.crt"), 0);
    assert_eq!(alone.links[0].issuer, None);
    assert!(alone.links[0]
        .summary
        .ends_with("is issued by CN=demo-cluster-ca, which is not in this paste"));

    // Every self-signed certificate verifies with its own key, whatever the algorithm:
    // RSA with SHA-1 and SHA-256, ECDSA P-256 (serial 0) and P-384 (DER signatures made raw).
    for path in [
        "minted/ca.crt",
        "minted/expired-ca.crt",
        "real/certs/k3s-server-ca-ec-p256-serial0.crt",
        "real/certs/k8s-client-js-test-cert-year4763.pem",
        "real/certs/kubeadm-ca-rsa-bradshaw.crt",
        "real/certs/minikubeCA-argocd-2018.crt",
        "fixtures/weak-sha1-rsa1024.crt",
        "fixtures/p384-root.crt",
    ] {
        let c = certs(path);
        assert!(c[0].self_signed, "{path}");
        assert!(verified(&c, 0, 0), "{path}");
    }
    let k3s = certs("real/certs/k3s-server-ca-ec-p256-serial0.crt");
    let prepared = prepare_signature_check(&k3s[0], &k3s[0]).unwrap();
    assert_eq!(
        prepared.algorithm,
        Algorithm::Ecdsa {
            hash: Hash::Sha256,
            curve: Curve::P256
        }
    );
    assert_eq!(prepared.signature.len(), 64);

    let p384 = bundle(&format!(
        "{}{}",
        read("fixtures/v1-leaf-by-p384.crt"),
        read("fixtures/p384-root.crt")
    ))
    .certs;
    assert!(verified(&p384, 0, 1));
    assert_eq!(
        prepare_signature_check(&p384[0], &p384[1])
            .unwrap()
            .signature
            .len(),
        96
    );

    // A changed certificate, or the wrong issuer, does not verify.
    let mut tampered = chain.clone();
    let last = tampered[0].tbs_der.len() - 1;
    tampered[0].tbs_der[last] ^= 1;
    assert!(!verified(&tampered, 0, 1));
    let stranger = certs("real/certs/kubeadm-ca-rsa-bradshaw.crt");
    assert_eq!(
        native_verify(&prepare_signature_check(&chain[0], &stranger[0]).unwrap()),
        Ok(false)
    );
    let err = prepare_signature_check(&chain[0], &chain[0])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the issuer's key is EC P-256 but the signature is sha256WithRSAEncryption"),
        "{err}"
    );
    let md5 = certs("fixtures/md5-rsa2048.crt");
    let err = prepare_signature_check(&md5[0], &md5[0])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "md5WithRSAEncryption signatures cannot be checked in the browser"
    );
}

/// Finding titles of one certificate at `now`, in the order shown.
fn titles(path: &str, now: UnixSeconds) -> Vec<String> {
    summarise(&certs(path), now).certs[0]
        .findings
        .iter()
        .map(|f| f.finding.title.clone())
        .collect()
}

#[test]
fn findings_at_a_given_time() {
    let root = &certs("minted/ca.crt")[0];
    let (start, end) = (root.not_before, root.not_after);
    assert_eq!(
        titles("minted/ca.crt", start + 86_400),
        Vec::<String>::new()
    );
    assert_eq!(
        titles("minted/ca.crt", start - 7200),
        ["Not yet valid: starts in 2 hours (2026-11-22T06:54:06Z)"]
    );
    let until = fact("ca_not_after");
    assert_eq!(
        titles("minted/ca.crt", end - 10 * 86_400),
        [format!("Expires within 30 days: in 10 days ({until})")]
    );
    assert_eq!(
        titles("minted/ca.crt", end - 31 * 86_400),
        Vec::<String>::new()
    );
    assert_eq!(
        titles("minted/ca.crt", end + 1),
        [format!("Expired 1 second ago ({until})")]
    );
    let now = 1_795_416_906; // when the minted vectors were made
    assert_eq!(
        titles("minted/expired-ca.crt", now),
        ["Expired 1 year ago (2025-11-18T06:54:06Z)"]
    );
    assert_eq!(
        titles("minted/server.crt", now),
        ["Not a CA: basicConstraints says CA:FALSE"]
    );
    assert_eq!(
        titles("fixtures/v1-leaf-by-p384.crt", 4_000_000_000),
        ["Not a CA: no basicConstraints extension"]
    );
    assert_eq!(
        titles("fixtures/critical-extensions-p256.crt", 1_800_000_000),
        ["Critical extension that clients refuse: 1.3.6.1.4.1.55555.1, subjectKeyIdentifier"]
    );
    // Go knows both, but reads only DNS, email, IP and URI names in them.
    assert_eq!(
        titles("fixtures/critical-dirname-p256.crt", 1_800_000_000),
        ["Critical extension that clients refuse: subjectAltName, nameConstraints"]
    );
    assert_eq!(
        titles("fixtures/weak-sha1-rsa1024.crt", 4_000_000_000),
        [
            "RSA key under 2048 bits (1024-bit)",
            "SHA-1 signature (sha1WithRSAEncryption)"
        ]
    );
    assert_eq!(
        titles("fixtures/md5-rsa2048.crt", 1_900_000_000),
        ["MD5 signature (md5WithRSAEncryption)"]
    );
    // Problems come before warnings, and each says why.
    let report = summarise(&certs("fixtures/weak-sha1-rsa1024.crt"), 0);
    let findings = &report.certs[0].findings;
    assert_eq!(findings[0].kind, FindingKind::NotYetValid);
    assert_eq!(findings[0].finding.level, Level::Danger);
    assert!(findings.iter().all(|f| f.finding.why.ends_with('.')));
    for (path, _) in ALL {
        for cert in summarise(&certs(path), 0).certs {
            assert!(
                cert.findings.iter().all(|f| !f.finding.why.is_empty()),
                "{path}"
            );
        }
    }
}

#[test]
fn rows_render_as_they_are() {
    let report = summarise(
        &certs("real/certs/k8s-client-js-test-cert-year4763.pem"),
        1_795_416_906,
    );
    let cert = &report.certs[0];
    assert_eq!(cert.title, "Certificate 1 of 1: CN=localhost");
    let row = |label: &str| {
        cert.rows
            .iter()
            .find(|r| r.label == label)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(row("Valid from"), "2025-09-06T10:40:37Z (1 year ago)");
    assert_eq!(row("Valid until"), "4763-08-03T10:40:37Z (in 2738 years)");
    assert_eq!(row("Basic constraints"), "CA:TRUE");
    assert_eq!(row("Key usage"), "none");
    assert_eq!(row("Self-signed"), "yes");
    assert_eq!(row("Critical extensions"), "basicConstraints");
    assert_eq!(row("Other extensions"), "none");
    assert_eq!(
        row("SHA-1 fingerprint"),
        "07:E8:EC:05:C9:AA:57:D1:AE:FA:27:A7:F8:30:0D:9A:3F:32:0A:46"
    );
    let labels: Vec<_> = cert.rows.iter().map(|r| r.label).collect();
    assert_eq!(
        labels,
        [
            "Subject",
            "Issuer",
            "Serial number",
            "Valid from",
            "Valid until",
            "Public key",
            "Signature algorithm",
            "Subject alternative names",
            "Key usage",
            "Extended key usage",
            "Basic constraints",
            "Name constraints",
            "Subject key identifier",
            "Authority key identifier",
            "Critical extensions",
            "Other extensions",
            "SHA-256 fingerprint",
            "SHA-1 fingerprint",
            "Self-signed",
        ]
    );
}

fn check_error(input: &str, expected: CertError, words: &[&str]) {
    match parse_bundle(input) {
        Ok(b) => panic!("expected {expected:?}, got {} certificates", b.certs.len()),
        Err(e) => {
            assert_eq!(e, expected);
            let text = e.to_string();
            for w in words {
                assert!(text.contains(w), "{text:?} lacks {w:?}");
            }
        }
    }
}

#[test]
fn error_paths_say_where() {
    check_error(" \n\t", CertError::Empty, &["No certificate pasted"]);
    let ca = read("minted/ca.crt");
    let pem_error = |line, problem| {
        CertError::Pem(PemError {
            block: 1,
            label: "CERTIFICATE".into(),
            line,
            problem,
        })
    };
    let cut: String = ca.lines().take(6).map(|l| format!("{l}\n")).collect();
    check_error(
        &cut,
        pem_error(1, PemProblem::MissingEnd),
        &["no `-----END CERTIFICATE-----` line"],
    );
    let bad = ca.replacen("MIID", "MI?D", 1);
    check_error(
        &bad,
        pem_error(
            2,
            PemProblem::BadBase64 {
                column: 3,
                found: '?',
            },
        ),
        &["'?' on line 2, column 3"],
    );
    check_error(
        "MIIDBDCC\nAey%gAwIBAgIU",
        CertError::Base64 {
            line: 2,
            column: 4,
            found: '%',
        },
        &["neither PEM", "line 2, column 4"],
    );
    check_error(
        "MIIDB",
        CertError::TruncatedBase64 { line: 1 },
        &["part-way through a byte on line 1"],
    );
    check_error(
        &read("real/keys/k8s-upstream-test-rsa.key.pem"),
        CertError::PrivateKey {
            location: "The PEM block on line 1 (RSA PRIVATE KEY)".into(),
        },
        &[
            "PRIVATE key",
            "the key is not",
            "never be pasted anywhere",
            "exposed",
        ],
    );
    check_error(
        &read("minted/sa-ec.pub.pem"),
        CertError::NotACertificate {
            block: 1,
            label: "PUBLIC KEY".into(),
        },
        &["paste it into Verification key instead"],
    );
    let der = certs("minted/ca.crt")[0].der.clone();
    let status = parse_bundle(&STANDARD.encode(&der[..500]));
    let Err(
        e @ CertError::Der {
            offset: Some(_), ..
        },
    ) = &status
    else {
        panic!("expected a DER error with an offset, got {status:?}")
    };
    assert!(
        e.to_string()
            .starts_with("DER certificate 1 is not a valid X.509 certificate"),
        "{e}"
    );
    assert!(e.to_string().contains("at DER byte"), "{e}");
    check_error(
        &STANDARD.encode([0xffu8, 0x00, 0x10]),
        CertError::NotCertificateData {
            decoded: "3 bytes of binary data".into(),
        },
        &["neither PEM nor DER"],
    );

    // What can be read is kept; what cannot is listed beside it.
    let mixed = format!(
        "{}{}{}",
        read("minted/ca.crt"),
        read("minted/sa-ec.pub.pem"),
        bad
    );
    let partial = parse_bundle(&mixed).unwrap();
    assert_eq!(partial.certs.len(), 1);
    assert_eq!(partial.problems.len(), 2);
    assert!(partial.problems[0]
        .to_string()
        .starts_with("PEM block 2 is a PUBLIC KEY"));
    let third = partial.problems[1].to_string();
    assert!(
        third.starts_with("PEM block 3 (CERTIFICATE): '?' on line 25, column 3"),
        "{third}"
    );
    // Two DER certificates back to back, as base64 of both.
    let two = [der.clone(), certs("minted/server.crt")[0].der.clone()].concat();
    let both = bundle(&STANDARD.encode(two));
    assert_eq!(both.certs[1].source, "DER certificate 2");
}

#[test]
fn chain_sentences_come_from_the_core() {
    assert!(KeyIdCheck::Match
        .sentence()
        .starts_with("Key identifiers match"));
    assert!(KeyIdCheck::Mismatch.sentence().contains("do NOT match"));
    assert!(KeyIdCheck::NotStated.sentence().contains("matched by name"));
    assert_eq!(signature_status(None), "Checking the signature…");
    assert_eq!(signature_status(Some(&Ok(true))), "Signature verified.");
    assert_eq!(
        signature_status(Some(&Ok(false))),
        "Signature does NOT verify."
    );
    let refused = Err(NotChecked::Browser("the browser refused".to_string()));
    assert_eq!(
        signature_status(Some(&refused)),
        "Signature not checked: the browser refused"
    );
}
