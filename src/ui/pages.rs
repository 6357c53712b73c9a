//! One component per page, selected by [`crate::ui::route::Route`]. Troubleshoot, Token
//! request, Audit, Activity, Learn and the RBAC builder come with the full app only (feature `full`); the first-visit
//! app shows `FullOnly` in their place while it loads the full app.

mod access;
#[cfg(feature = "full")]
mod activity;
#[cfg(feature = "full")]
mod audit;
mod ca;
#[cfg(not(feature = "full"))]
mod full_only;
mod inspect;
mod kubeconfig;
#[cfg(feature = "full")]
mod learn;
mod not_found;
#[cfg(feature = "full")]
mod rbac;
#[cfg(feature = "full")]
mod token_request;
#[cfg(feature = "full")]
mod troubleshoot;

pub use access::{AccessPage, AccessPageProps};
#[cfg(feature = "full")]
pub use activity::{Activity, ActivityProps};
#[cfg(feature = "full")]
pub use audit::{Audit, AuditProps};
pub use ca::{Ca, CaProps};
#[cfg(not(feature = "full"))]
pub use full_only::FullOnly;
pub use inspect::{Inspect, InspectProps};
pub use kubeconfig::{KubeconfigBuilder, KubeconfigBuilderProps};
#[cfg(feature = "full")]
pub use learn::{Learn, LearnProps};
pub use not_found::NotFound;
#[cfg(feature = "full")]
pub use rbac::{RbacBuilder, RbacBuilderProps};
#[cfg(feature = "full")]
pub use token_request::{TokenRequest, TokenRequestProps};
#[cfg(feature = "full")]
pub use troubleshoot::{Troubleshoot, TroubleshootProps};
