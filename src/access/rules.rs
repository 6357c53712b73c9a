//! The rules a role grants as references into one table of the paste's distinct rules, so a
//! rule held or gathered by many roles is stored once, and what reading a paste cost.
//!
//! The model holds these lists; aggregation builds them.

use std::cell::OnceCell;
use std::fmt;
use std::rc::Rc;

use crate::k8s::risk::Rule;

/// What reading a paste cost, in units tests can bound by the size of the paste.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Rules stored: each rule of a role aggregation touches once, however many roles hold or
    /// gather it, and each rule of any other role as pasted.
    pub rules_stored: usize,
    /// Label comparisons made while matching selectors to ClusterRoles.
    pub label_checks: usize,
    /// Rule references copied while aggregated roles gather the rules of the roles they pick.
    pub rule_refs: usize,
    /// Rules sorted to find the equal ones among the roles aggregation reads or writes.
    pub rules_sorted: usize,
}

/// Every distinct rule of a paste, and the names of the roles, which rule references use. Rules
/// are shared with the grants answers hand out, which are many when a subject holds one role
/// in hundreds of namespaces.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Table {
    /// Each distinct rule once.
    pub(super) rules: Vec<Rc<Rule>>,
    /// `metadata.name` of each role, by its place in [`super::Policy::roles`].
    pub(super) names: Vec<String>,
}

/// One rule a role grants: the rule's number in the table and the role that spells it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ref {
    /// The rule's place in [`Table::rules`].
    pub(super) rule: u32,
    /// The place of the role that spells it out in [`Table::names`].
    pub(super) origin: u32,
}

/// The rules a role grants, each with the ClusterRole that spells it out when that is another
/// role (aggregation). The rules are shared with the other roles of the paste, not copied.
#[derive(Clone, Default)]
pub struct RuleList {
    /// Every rule of the paste.
    pub(super) table: Rc<Table>,
    /// The rules this role grants, in order.
    pub(super) refs: Rc<[Ref]>,
    /// The role this list belongs to: its own rules have no origin.
    pub(super) owner: u32,
    /// Which rules can match which resource, built the first time a request is asked.
    pub(super) index: Rc<OnceCell<Index>>,
}

/// Which of a role's rules can match a request, so a request against a role of tens of
/// thousands of rules looks at the few that name its resource: built once per role (the
/// paste is read once per change), then each Can I costs what it matches, not the role.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Each resource a rule names, with the rule's place in the list, sorted by resource.
    by_resource: Vec<(String, u32)>,
    /// Places of the rules naming `*` or `*/sub`, which can match any resource.
    wild: Vec<u32>,
    /// Places of the rules naming non-resource URLs.
    urls: Vec<u32>,
}

impl Index {
    fn of(list: &RuleList) -> Index {
        let mut index = Index::default();
        for (at, (rule, _)) in list.iter().enumerate() {
            let at = super::model::num(at);
            if rule
                .resources
                .iter()
                .any(|r| r == "*" || r.starts_with("*/"))
            {
                index.wild.push(at);
            }
            for resource in &rule.resources {
                index.by_resource.push((resource.clone(), at));
            }
            if !rule.non_resource_urls.is_empty() {
                index.urls.push(at);
            }
        }
        crate::support::sort::stable_by(&mut index.by_resource, |a, b| a.0.cmp(&b.0));
        index
    }
}

impl RuleList {
    /// Each rule, with the name of the ClusterRole it comes from when that is not the role
    /// itself.
    pub fn iter(&self) -> impl Iterator<Item = (&Rule, Option<&str>)> + '_ {
        self.numbered()
            .map(|(_, rule, origin)| (rule.as_ref(), origin))
    }

    /// As [`RuleList::iter`], with each rule's number in the paste's table (the same for equal
    /// rules of the roles aggregation reads or writes), and the rule shared rather than borrowed.
    pub(crate) fn numbered(&self) -> impl Iterator<Item = (u32, &Rc<Rule>, Option<&str>)> + '_ {
        self.refs.iter().filter_map(|r| {
            let rule = self.table.rules.get(r.rule as usize)?;
            let origin = (r.origin != self.owner)
                .then(|| self.table.names.get(r.origin as usize).map(String::as_str))
                .flatten();
            Some((r.rule, rule, origin))
        })
    }

    /// The rules that can match a request for `resource` (`None`: a non-resource URL), in
    /// order: those naming it, `*` or a `*/sub`, or for a URL those naming URLs. Every other
    /// rule misses the request, whatever its verbs and names.
    pub(crate) fn matching(&self, resource: Option<&str>) -> impl Iterator<Item = &Rc<Rule>> + '_ {
        let index = self.index.get_or_init(|| Index::of(self));
        let places: Vec<u32> = match resource {
            None => index.urls.clone(),
            Some(resource) => {
                let from = index
                    .by_resource
                    .partition_point(|(r, _)| r.as_str() < resource);
                // Equal resources keep their rules' order (a stable sort), so both lists are
                // ascending: merged, without repeats.
                let named = index.by_resource.get(from..).unwrap_or_default();
                let mut named = named
                    .iter()
                    .take_while(|(r, _)| r == resource)
                    .map(|&(_, at)| at)
                    .peekable();
                let mut wild = index.wild.iter().copied().peekable();
                let mut places = Vec::new();
                loop {
                    let next = match (named.peek(), wild.peek()) {
                        (Some(&a), Some(&b)) if a <= b => named.next(),
                        (Some(_), Some(_)) | (None, Some(_)) => wild.next(),
                        (Some(_), None) => named.next(),
                        (None, None) => break,
                    };
                    if let Some(at) = next {
                        if places.last() != Some(&at) {
                            places.push(at);
                        }
                    }
                }
                places
            }
        };
        places.into_iter().filter_map(move |at| {
            let r = self.refs.get(at as usize)?;
            self.table.rules.get(r.rule as usize)
        })
    }

    /// How many rules.
    pub fn len(&self) -> usize {
        self.refs.len()
    }

    /// Whether the role grants nothing.
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }
}

impl PartialEq for RuleList {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for RuleList {}

impl fmt::Debug for RuleList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
