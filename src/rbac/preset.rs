//! The RBAC builder's presets: buttons that fill the form with a common request.

use super::{RbacForm, RuleRow, Scope};

/// Buttons that fill the form with a common request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// get and list on pods.
    ReadPods,
    /// Read and write ConfigMaps, as an app that keeps its state in them does.
    ConfigMapStore,
    /// The built-in `view` ClusterRole in the namespace.
    ReadOnlyView,
    /// Create and update deployments, services, configmaps and secrets, as a CI job does.
    CiDeployer,
    /// The built-in `admin` ClusterRole in the namespace.
    NamespaceAdmin,
    /// `cluster-admin` bound cluster-wide: everything, everywhere.
    ClusterAdmin,
}

impl Preset {
    /// Every preset, in the order the page shows them.
    pub const ALL: [Preset; 6] = [
        Preset::ReadPods,
        Preset::ConfigMapStore,
        Preset::ReadOnlyView,
        Preset::CiDeployer,
        Preset::NamespaceAdmin,
        Preset::ClusterAdmin,
    ];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::ReadPods => "Read pods",
            Preset::ConfigMapStore => "ConfigMap store",
            Preset::ReadOnlyView => "Read-only view",
            Preset::CiDeployer => "CI deployer",
            Preset::NamespaceAdmin => "Namespace admin",
            Preset::ClusterAdmin => "Cluster admin",
        }
    }

    /// The id in deep links: `#/rbac?preset=read-pods`.
    pub fn id(self) -> &'static str {
        match self {
            Preset::ReadPods => "read-pods",
            Preset::ConfigMapStore => "configmap-store",
            Preset::ReadOnlyView => "read-only-view",
            Preset::CiDeployer => "ci-deployer",
            Preset::NamespaceAdmin => "namespace-admin",
            Preset::ClusterAdmin => "cluster-admin",
        }
    }

    /// The preset with this [`Preset::id`].
    pub fn from_id(id: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The form for this preset, keeping the service account and namespace already typed.
    pub fn fill(self, service_account: &str, namespace: &str) -> RbacForm {
        let row = |groups: &str, resources: &str, verbs: &str| RuleRow {
            api_groups: groups.to_string(),
            resources: resources.to_string(),
            verbs: verbs.to_string(),
            resource_names: String::new(),
            non_resource_urls: String::new(),
        };
        let base = RbacForm {
            service_account: service_account.to_string(),
            namespace: namespace.to_string(),
            scope: Scope::Namespace,
            cluster_role: String::new(),
            rules: Vec::new(),
            ..RbacForm::default()
        };
        let bind = |scope: Scope, role: &str| RbacForm {
            scope,
            cluster_role: role.to_string(),
            rules: vec![RuleRow::core()],
            ..base.clone()
        };
        const WRITE: &str = "create, update, patch, get, list";
        match self {
            Preset::ReadPods => RbacForm {
                rules: vec![row("\"\"", "pods", "get, list")],
                ..base
            },
            Preset::ConfigMapStore => RbacForm {
                rules: vec![row(
                    "\"\"",
                    "configmaps",
                    "get, list, create, update, patch, delete",
                )],
                ..base
            },
            Preset::ReadOnlyView => bind(Scope::BindClusterRole, "view"),
            // Core group first: `kubectl create role` sorts its rules by group.
            Preset::CiDeployer => RbacForm {
                rules: vec![
                    row("\"\"", "services, configmaps, secrets", WRITE),
                    row("apps", "deployments", WRITE),
                ],
                ..base
            },
            Preset::NamespaceAdmin => bind(Scope::BindClusterRole, "admin"),
            // What the name promises, and what tutorials run: the whole cluster. The builder
            // spells out the danger beside the ClusterRole field.
            Preset::ClusterAdmin => bind(Scope::BindClusterRoleClusterWide, "cluster-admin"),
        }
    }
}
