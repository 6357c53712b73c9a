//! One component per page, selected by [`crate::ui::route::Route`].

mod access;
mod ca;
mod inspect;
mod kubeconfig;
mod learn;
mod not_found;
mod rbac;

pub use access::{AccessPage, AccessPageProps};
pub use ca::{Ca, CaProps};
pub use inspect::{Inspect, InspectProps};
pub use kubeconfig::{KubeconfigBuilder, KubeconfigBuilderProps};
pub use learn::{Learn, LearnProps};
pub use not_found::NotFound;
pub use rbac::{RbacBuilder, RbacBuilderProps};
