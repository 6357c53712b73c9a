//! Client certificates minted by `openssl` at test time (several O values, a UTF-8 CN, an
//! expired one, one from another CA of the same name, one from a CA of another name, a
//! server-only one, a 1024-bit one) read as openssl prints them: subject, groups, issuer,
//! serial and dates equal `openssl x509`'s, and the signature check agrees with `openssl
//! verify`. Skipped without openssl, except in CI (`CI=true`), where that fails.

use crate::common;
use crate::native_verify;

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use native_verify::native_verify;
use tokenscope::inspect::client_cert::{self, CaSource, ClientCert, Credential};
use tokenscope::support::time::{days_from_civil, UnixSeconds};

/// `openssl ca`'s configuration: a database in the folder, the subject kept in the request's
/// order, and the extensions a client certificate (or a server-only one) carries.
const CA_CONFIG: &str = "\
[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
unique_subject = no
[p]
organizationName = optional
commonName = supplied
[client]
extendedKeyUsage = clientAuth
keyUsage = critical, digitalSignature, keyEncipherment
[server]
extendedKeyUsage = serverAuth
keyUsage = critical, digitalSignature
";

/// One certificate to mint: its file name, key, subject, signing CA, extension section and
/// validity (`openssl ca` arguments).
struct Leaf {
    name: &'static str,
    key: &'static [&'static str],
    subject: &'static str,
    ca: &'static str,
    extensions: &'static str,
    dates: &'static [&'static str],
}

const RSA2048: &[&str] = &["-newkey", "rsa:2048"];
const P256: &[&str] = &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
const ONE_YEAR: &[&str] = &["-days", "365"];

const LEAVES: &[Leaf] = &[
    Leaf {
        name: "admin",
        key: RSA2048,
        subject: "/O=system:masters/O=dev team/CN=kubernetes-admin",
        ca: "ca",
        extensions: "client",
        dates: &["-days", "365", "-rand_serial"],
    },
    Leaf {
        name: "utf8",
        key: P256,
        subject: "/O=équipe/O=dev/CN=José Müller 日本",
        ca: "ca",
        extensions: "client",
        dates: ONE_YEAR,
    },
    Leaf {
        name: "expired",
        key: RSA2048,
        subject: "/O=ops/CN=old-user",
        ca: "ca",
        extensions: "client",
        dates: &[
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20210101000000Z",
        ],
    },
    Leaf {
        name: "same-name-other-ca",
        key: P256,
        subject: "/O=dev/CN=mallory",
        ca: "impostor",
        extensions: "client",
        dates: ONE_YEAR,
    },
    Leaf {
        name: "other-ca",
        key: P256,
        subject: "/CN=stranger",
        ca: "other",
        extensions: "client",
        dates: ONE_YEAR,
    },
    Leaf {
        name: "server-only",
        key: P256,
        subject: "/CN=web",
        ca: "ca",
        extensions: "server",
        dates: ONE_YEAR,
    },
    Leaf {
        name: "weak",
        key: &["-newkey", "rsa:1024"],
        subject: "/O=dev/CN=tiny",
        ca: "ca",
        extensions: "client",
        dates: ONE_YEAR,
    },
];

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Mints the CAs and every leaf into a fresh folder: `ca` (RSA, CN=kubernetes), `impostor`
/// (RSA, also CN=kubernetes), `other` (P-256, CN=other-ca).
fn mint() -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("client-certs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ca.cnf"), CA_CONFIG).unwrap();
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("serial"), "0A\n").unwrap();
    for (name, key, subject) in [
        ("ca", RSA2048, "/CN=kubernetes"),
        ("impostor", RSA2048, "/CN=kubernetes"),
        ("other", P256, "/CN=other-ca"),
    ] {
        let (crt, pkey) = (format!("{name}.crt"), format!("{name}.key"));
        let mut args = vec!["req", "-x509", "-nodes", "-days", "3650", "-subj", subject];
        args.extend_from_slice(key);
        args.extend_from_slice(&["-keyout", &pkey, "-out", &crt]);
        run(&dir, &args);
    }
    for leaf in LEAVES {
        let (csr, key, crt) = (
            format!("{}.csr", leaf.name),
            format!("{}.key", leaf.name),
            format!("{}.crt", leaf.name),
        );
        let mut args = vec!["req", "-new", "-nodes", "-utf8", "-subj", leaf.subject];
        args.extend_from_slice(leaf.key);
        args.extend_from_slice(&["-keyout", &key, "-out", &csr]);
        run(&dir, &args);
        let (ca_crt, ca_key) = (format!("{}.crt", leaf.ca), format!("{}.key", leaf.ca));
        let mut args = vec![
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            &ca_crt,
            "-keyfile",
            &ca_key,
            "-in",
            &csr,
            "-out",
            &crt,
            "-notext",
            "-preserveDN",
            "-utf8",
            "-extensions",
            leaf.extensions,
        ];
        args.extend_from_slice(leaf.dates);
        run(&dir, &args);
    }
    dir
}

/// The value of a `key=value` line of openssl's output.
fn field<'a>(output: &'a str, key: &str) -> &'a str {
    output
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {key}= in {output}"))
        .trim()
}

/// `Jan  1 00:00:00 2021 GMT` to Unix seconds.
fn date(text: &str) -> UnixSeconds {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    let month = months.find(parts[0]).unwrap() as u32 / 3 + 1;
    let hms: Vec<i64> = parts[2].split(':').map(|n| n.parse().unwrap()).collect();
    days_from_civil(parts[3].parse().unwrap(), month, parts[1].parse().unwrap()) * 86_400
        + hms[0] * 3600
        + hms[1] * 60
        + hms[2]
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// A kubeconfig of one context: the cluster CA `ca.crt`, the user `leaf`'s certificate and key.
fn kubeconfig(dir: &Path, leaf: &str) -> String {
    let b64 = |file: &str| STANDARD.encode(read(dir, file));
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: \
         https://127.0.0.1:6443\n    certificate-authority-data: {}\ncontexts:\n- name: x\n  \
         context:\n    cluster: c\n    user: u\ncurrent-context: x\nusers:\n- name: u\n  user:\n    \
         client-certificate-data: {}\n    client-key-data: {}\n",
        b64("ca.crt"),
        b64(&format!("{leaf}.crt")),
        b64(&format!("{leaf}.key"))
    )
}

/// The certificate of the kubeconfig's one user.
fn from_kubeconfig(text: &str) -> ClientCert {
    let users = client_cert::read_kubeconfig(text).unwrap();
    assert_eq!(users.current, Some(0));
    let user = &users.users[0];
    assert!(user.private_key_pasted);
    match &user.credentials[..] {
        [Credential::ClientCertificate(cert)] => cert.as_ref().clone().unwrap(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn minted_certificates_read_as_openssl_prints_them() {
    if !common::tool(&["openssl", "version"]) {
        return;
    }
    let dir = mint();
    let admin = client_cert::read(&read(&dir, "admin.crt"), None).unwrap();
    // A day after the admin certificate was minted: every certificate but the expired one is
    // valid then.
    let now = admin.certificate.not_before + 86_400;
    for leaf in LEAVES {
        let crt = format!("{}.crt", leaf.name);
        let at = leaf.name;
        let printed = run(
            &dir,
            &[
                "x509",
                "-in",
                &crt,
                "-noout",
                "-subject",
                "-issuer",
                "-startdate",
                "-enddate",
                "-serial",
                "-nameopt",
                "RFC2253,-esc_msb",
            ],
        );
        // One attribute a line, in the DER's order: the order Go reads the O values in.
        let attributes = run(
            &dir,
            &[
                "x509",
                "-in",
                &crt,
                "-noout",
                "-subject",
                "-nameopt",
                "sep_multiline,-esc_msb,sname,utf8",
            ],
        );
        let values = |key: &str| -> Vec<String> {
            attributes
                .lines()
                .filter_map(|l| l.trim().strip_prefix(key)?.strip_prefix('='))
                .map(str::to_string)
                .collect()
        };
        let ours = client_cert::read(&read(&dir, &crt), Some(&read(&dir, "ca.crt"))).unwrap();
        let cert = &ours.certificate;
        assert_eq!(cert.subject, field(&printed, "subject"), "{at}");
        assert_eq!(cert.issuer, field(&printed, "issuer"), "{at}");
        assert_eq!(
            cert.serial.replace(':', ""),
            field(&printed, "serial"),
            "{at}"
        );
        assert_eq!(cert.not_before, date(field(&printed, "notBefore")), "{at}");
        assert_eq!(cert.not_after, date(field(&printed, "notAfter")), "{at}");
        assert_eq!(ours.identity.groups, values("O"), "{at}");
        assert_eq!(
            Some(&ours.identity.user),
            values("CN").last(),
            "{at}: the last CN"
        );

        // The signature check against the cluster CA agrees with `openssl verify` (times
        // aside: that the expired one still carries a good signature is the point).
        let verified = Command::new("openssl")
            .args(["verify", "-no_check_time", "-CAfile", "ca.crt", &crt])
            .current_dir(&dir)
            .output()
            .unwrap()
            .status
            .success();
        let [check] = &ours.trust[..] else {
            panic!("{at}: one check, against the pasted CA: {:?}", ours.trust)
        };
        assert_eq!(check.source, CaSource::Pasted);
        let ours_verified = match &check.verify {
            Ok(plan) => native_verify(plan).unwrap(),
            Err(_) => false,
        };
        assert_eq!(ours_verified, verified, "{at}: {}", check.summary);

        // The same certificate in a kubeconfig, with its key: the same identity and check,
        // and the key is nowhere in what the core hands out.
        let config = kubeconfig(&dir, leaf.name);
        let in_config = from_kubeconfig(&config);
        assert_eq!(in_config.identity, ours.identity, "{at}");
        assert_eq!(in_config.trust[0].source, CaSource::ClusterCa, "{at}");
        assert_eq!(
            in_config.trust[0].verify.as_ref().ok(),
            check.verify.as_ref().ok(),
            "{at}"
        );
        let users = client_cert::read_kubeconfig(&config).unwrap();
        let key = read(&dir, &format!("{}.key", leaf.name));
        let key_line = key.lines().nth(1).unwrap();
        let key_b64 = STANDARD.encode(&key);
        let shown = format!(
            "{users:?}{:?}{:?}",
            in_config.rows(now),
            in_config.findings(now)
        );
        assert!(!shown.contains(key_line), "{at}: the key leaked");
        assert!(!shown.contains(&key_b64[..40]), "{at}: the key leaked");

        let titles: Vec<String> = in_config
            .findings(now)
            .into_iter()
            .map(|f| f.title)
            .collect();
        let has = |start: &str| titles.iter().any(|t| t.starts_with(start));
        assert_eq!(
            has("In system:masters"),
            leaf.name == "admin",
            "{at}: {titles:?}"
        );
        assert_eq!(has("Expired"), leaf.name == "expired", "{at}: {titles:?}");
        assert_eq!(
            has("No client authentication"),
            leaf.name == "server-only",
            "{at}: {titles:?}"
        );
        assert_eq!(
            has("RSA key under 2048"),
            leaf.name == "weak",
            "{at}: {titles:?}"
        );
        assert!(has("A private key was pasted"), "{at}: {titles:?}");
    }
    // What openssl says of the two from other CAs, in our words.
    let impostor = client_cert::read(
        &read(&dir, "same-name-other-ca.crt"),
        Some(&read(&dir, "ca.crt")),
    )
    .unwrap();
    let plan = impostor.trust[0].verify.as_ref().unwrap();
    assert_eq!(native_verify(plan), Ok(false));
    let stranger =
        client_cert::read(&read(&dir, "other-ca.crt"), Some(&read(&dir, "ca.crt"))).unwrap();
    let why = stranger.trust[0].verify.as_ref().unwrap_err().to_string();
    assert!(why.contains("CN=other-ca"), "{why}");
    let said = client_cert::trust_status(&stranger.trust[0], None);
    assert!(said.starts_with("Not signed by the pasted CA"), "{said}");
    // The impostor has the issuer's name and an RSA key, so the browser checks, and says no.
    let said = client_cert::trust_status(&impostor.trust[0], Some(&Ok(false)));
    assert!(said.starts_with("NOT signed by the pasted CA"), "{said}");
    // Its own CA does sign it.
    let own =
        client_cert::read(&read(&dir, "other-ca.crt"), Some(&read(&dir, "other.crt"))).unwrap();
    assert_eq!(
        native_verify(own.trust[0].verify.as_ref().unwrap()),
        Ok(true)
    );
    // The subject Access gets: the CN, the O values, and system:authenticated.
    let subject = admin.identity.subject();
    assert_eq!(subject.user, "kubernetes-admin");
    assert_eq!(
        subject.groups,
        ["system:masters", "dev team", "system:authenticated"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
