//! Runs the signature checks the core plans in the browser's WebCrypto, off the render path.

use yew::platform::spawn_local;
use yew::prelude::*;

use super::{nothing, use_effect_key};
use crate::crypto::keys::{Plan, VerifyStatus};
use crate::ui::crypto;
use crate::ui::state::{AppState, CaAction, InspectAction};

/// Runs the signature checks the state has planned (the token against the pasted keys, each
/// link of the CA chain) in the browser's WebCrypto, and reports back with the generation the
/// work was started for.
#[hook]
pub fn use_webcrypto(state: &UseReducerHandle<AppState>) {
    {
        let dispatcher = state.dispatcher();
        let plan = state.inspect.plan.clone();
        use_effect_key(
            state.inspect.verify_generation,
            Box::new(move |generation| {
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
                        dispatcher.dispatch(
                            InspectAction::Verified {
                                generation,
                                outcomes,
                            }
                            .into(),
                        );
                    });
                }
                nothing()
            }),
        );
    }
    {
        let dispatcher = state.dispatcher();
        let ca = state.ca.clone();
        use_effect_key(
            state.ca.generation,
            Box::new(move |generation| {
                if !ca.links.is_empty() {
                    spawn_local(async move {
                        let mut results = Vec::with_capacity(ca.links.len());
                        for link in &ca.links {
                            results.push(match &link.link.verify {
                                Ok(check) => crypto::verify(check).await,
                                Err(why) => Err(why.clone()),
                            });
                        }
                        dispatcher.dispatch(
                            CaAction::LinksChecked {
                                generation,
                                results,
                            }
                            .into(),
                        );
                    });
                }
                nothing()
            }),
        );
    }
}
