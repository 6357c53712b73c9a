//! The integration tests, one crate: each module tests one part of the core or the UI
//! through the library's public interface, and `tidy` checks the architecture's invariants.
//! One crate links the library once, instead of once per test file.

mod common;
#[path = "../fixtures/native_verify.rs"]
mod native_verify;

mod access;
mod access_grid;
mod activity;
mod activity_audit2rbac;
mod activity_safety;
mod activity_stream;
mod apierror;
mod apierror_fixes;
mod apierror_ui;
mod audit;
mod bench;
mod bounds;
mod chunk;
mod client_cert;
mod client_cert_openssl;
mod client_cert_ui;
mod cloud;
mod commands;
mod der;
mod dump_stream;
mod errors_real;
mod escalation;
mod escalation_props;
mod escalation_ui;
mod escalation_workloads;
mod examples;
mod explain;
mod file_state;
mod handover;
mod input;
mod jwt;
mod k8s_rbac;
mod keys;
mod kubeconfig;
mod kubeconfig_state;
mod long_tasks;
mod picture;
mod picture_chain;
mod picture_graph;
mod picture_usage;
mod props;
mod rbac;
mod rbac_subjects;
mod redact;
mod report;
mod risk;
mod rule_parts;
mod share;
mod snippets;
mod tidy;
mod token_request;
mod token_request_kubectl;
mod ui_ssr;
mod ui_ssr_activity;
mod ui_ssr_troubleshoot;
mod unauthorized;
mod who_can;
mod x509;
mod yaml_write;
