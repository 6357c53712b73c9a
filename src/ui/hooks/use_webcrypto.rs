//! Runs the signature checks the core plans in the browser's WebCrypto, off the render path.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::keys::{Plan, VerifyStatus};
use crate::ui::crypto;
use crate::ui::state::{Action, AppState};

/// Runs the signature checks the state has planned (the token against the pasted keys, each
/// link of the CA chain) in the browser's WebCrypto, and reports back with the generation the
/// work was started for.
#[hook]
pub fn use_webcrypto(state: &UseReducerHandle<AppState>) {
    {
        let dispatcher = state.dispatcher();
        let plan = state.plan.clone();
        use_effect_with(state.verify_generation, move |&generation| {
            if let Some(Plan::Check { attempts, .. }) = plan {
                spawn_local(async move {
                    let mut outcomes = Vec::with_capacity(attempts.len());
                    for (index, attempt) in attempts {
                        let outcome = match attempt {
                            Ok(check) => crypto::verify(&check).await.map_err(|e| {
                                VerifyStatus::InvalidSignature {
                                    detail: format!("the browser could not check it: {e}"),
                                }
                            }),
                            Err(status) => Err(status),
                        };
                        outcomes.push((index, outcome));
                    }
                    dispatcher.dispatch(Action::Verified {
                        generation,
                        outcomes,
                    });
                });
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        let links = state.ca_links.clone();
        use_effect_with(state.ca_generation, move |&generation| {
            if !links.is_empty() {
                spawn_local(async move {
                    let mut results = Vec::with_capacity(links.len());
                    for link in &links {
                        results.push(match &link.verify {
                            Ok(check) => crypto::verify(check).await,
                            Err(why) => Err(why.clone()),
                        });
                    }
                    dispatcher.dispatch(Action::LinksChecked {
                        generation,
                        results,
                    });
                });
            }
        });
    }
}
