//! One component per page, selected by [`crate::ui::route::Route`].

mod access;
mod ca;
mod inspect;
mod kubeconfig;
mod learn;
mod not_found;
mod rbac;

pub use access::AccessPage;
pub use ca::Ca;
pub use inspect::Inspect;
pub use kubeconfig::KubeconfigBuilder;
pub use learn::Learn;
pub use not_found::NotFound;
pub use rbac::RbacBuilder;
