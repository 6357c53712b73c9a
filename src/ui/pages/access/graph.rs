//! The access graph under Can I and under Who can: the picture, its lines as a list (the text
//! equivalent) and its download, worked out when the answer changes.

use std::rc::Rc;

use yew::prelude::*;

use crate::access::graph::{can_i_graph, who_can_graph, Graph};
use crate::access::{Answer, Query, Subject, WhoCan};
use crate::picture::graph::picture;
use crate::ui::components::{heading, picture_view, shown};
use crate::ui::state::{AccessState, CanIForm, Slice};

/// Props of [`AccessGraph`].
#[derive(Properties)]
pub struct AccessGraphProps {
    /// The Access page's slice: the policy and both forms.
    pub state: Slice<AccessState>,
    /// The subject Can I asks about.
    pub subject: Option<Subject>,
    /// Can I's answer, as the page worked it out.
    pub can_i: Rc<Option<Result<Answer, String>>>,
    /// Who can's answer; drawn instead of Can I's when given.
    #[prop_or_default]
    pub who: Option<Rc<Option<Result<WhoCan, String>>>>,
}

/// An answer is made anew only when its question, the policy or the subject changes, so the
/// same answer draws the same graph: the graph is worked out again only when the props differ.
fn same<T>(a: &Rc<T>, b: &Rc<T>) -> bool {
    Rc::ptr_eq(a, b)
}

impl PartialEq for AccessGraphProps {
    fn eq(&self, other: &Self) -> bool {
        self.state.generation == other.state.generation
            && self.subject == other.subject
            && same(&self.can_i, &other.can_i)
            && match (&self.who, &other.who) {
                (Some(a), Some(b)) => same(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// The query of `form`, when it reads.
fn query(form: &CanIForm) -> Option<Query> {
    Query::parse(&form.verb, &form.resource, &form.namespace, &form.name).ok()
}

/// The graph of Can I's answer, or with `who`, of Who can's: a section only when it has lines.
#[component]
pub fn AccessGraph(props: &AccessGraphProps) -> Html {
    let state = &props.state;
    let graph = match (&state.policy, &props.who) {
        (_, Some(who)) => match (who.as_ref(), query(&state.who_can)) {
            (Some(Ok(who)), Some(q)) => Some(who_can_graph(who, &q)),
            _ => None,
        },
        (Some(Ok(policy)), None) => {
            match (&props.subject, props.can_i.as_ref(), query(&state.can_i)) {
                (Some(subject), Some(Ok(answer)), Some(q)) => {
                    Some(can_i_graph(policy, subject, &q, answer))
                }
                _ => None,
            }
        }
        _ => None,
    };
    match graph {
        Some(graph) if !graph.edges.is_empty() => view(&graph),
        _ => html! {},
    }
}

fn view(graph: &Graph) -> Html {
    let (id, title, file) = if graph.who_can {
        ("who-graph-h", "Who can graph", "who-can-graph.svg")
    } else {
        ("access-graph-h", "Access graph", "access-graph.svg")
    };
    html! {
        <section class="graph" aria-labelledby={id}>
            { heading(id, title) }
            { picture_view(&picture(graph), file, "The list below says the same in words.") }
            <ul aria-label={title}>
                { for graph.rows().into_iter().map(|row| html! { <li>{ shown(row) }</li> }) }
            </ul>
        </section>
    }
}
