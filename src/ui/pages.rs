//! One component per page, selected by [`crate::ui::route::Route`].

mod access;
mod activity;
mod audit;
mod ca;
mod inspect;
mod kubeconfig;
mod learn;
mod not_found;
mod rbac;
mod token_request;
mod troubleshoot;

pub use access::{AccessPage, AccessPageProps};
// The Access page's Escalation section, and its view of a paste already read, for the
// renderer's tests.
pub use access::escalation::{
    EscalationProps, EscalationSection, EscalationView, EscalationViewProps, Read,
};
pub use activity::{Activity, ActivityProps};
pub use audit::{Audit, AuditProps};
pub use ca::{ca, CaProps};
pub use inspect::{inspect, InspectProps};
pub use kubeconfig::{kubeconfig_builder, KubeconfigBuilderProps};
pub use learn::{learn, LearnProps};
pub use not_found::not_found;
pub use rbac::{rbac_builder, RbacBuilderProps};
pub use token_request::{token_request, TokenRequestProps};
pub use troubleshoot::{troubleshoot, TroubleshootProps};
