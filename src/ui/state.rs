//! The app's state and the actions that change it: one reducer at the root.
//!
//! Recognising and decoding happen here, once per change of input, so rendering (which
//! also runs every second as the clock ticks) never parses anything.

use std::rc::Rc;

use yew::Reducible;

use crate::error::{InspectError, TokenError};
use crate::input::{self, Recognised};
use crate::jwt::{self, RawJwt};

/// Everything the pages share.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    /// The text in the **Token** field, exactly as typed or pasted.
    pub token_input: String,
    /// The text in the **CA certificate** field.
    pub ca_input: String,
    /// What the token input was recognised as; `None` while it is empty.
    pub recognised: Option<Result<Recognised, InspectError>>,
    /// Which candidate is shown (index into `recognised.candidates`).
    pub chosen: usize,
    /// The chosen candidate, decoded.
    pub decoded: Option<Result<RawJwt, TokenError>>,
}

/// What the user did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Typed or pasted into **Token**.
    SetToken(String),
    /// Picked another token from a kubeconfig or List.
    Choose(usize),
    /// Typed or pasted into **CA certificate**.
    SetCa(String),
    /// Emptied the **Token** field.
    Clear,
}

impl AppState {
    /// Applies `action`; the pure heart of the reducer.
    pub fn apply(mut self, action: Action) -> AppState {
        match action {
            Action::SetToken(text) => {
                self.recognised = match input::recognise(&text) {
                    Err(InspectError::Token(TokenError::Empty)) => None,
                    other => Some(other),
                };
                self.token_input = text;
                let preferred = self.candidates().map_or(0, |(_, p)| p);
                self.select(preferred);
            }
            Action::Choose(index) => self.select(index),
            Action::SetCa(text) => self.ca_input = text,
            Action::Clear => {
                let ca_input = std::mem::take(&mut self.ca_input);
                self = AppState {
                    ca_input,
                    ..AppState::default()
                };
            }
        }
        self
    }

    fn candidates(&self) -> Option<(&[input::Candidate], usize)> {
        match &self.recognised {
            Some(Ok(r)) => Some((&r.candidates, r.preferred)),
            _ => None,
        }
    }

    /// Shows candidate `index`, and hands its CA (if any) to the CA field.
    fn select(&mut self, index: usize) {
        let candidate = self.candidates().and_then(|(c, _)| c.get(index)).cloned();
        self.chosen = index;
        self.decoded = candidate.as_ref().map(|c| jwt::decode(&c.token));
        if let Some(ca) = candidate.and_then(|c| c.ca) {
            self.ca_input = ca;
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\ndata:\n  token: ZXlKaGJHY2lPaUp1YjI1bEluMC5leUp6ZFdJaU9pSjRJbjAu\n  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\n";

    #[test]
    fn a_secret_fills_the_ca_field_and_decodes() {
        let state = AppState::default().apply(Action::SetToken(SECRET.to_string()));
        assert_eq!(state.ca_input, "-----BEGIN CERTIFICATE-----\n");
        assert!(matches!(state.decoded, Some(Ok(_))));
    }

    #[test]
    fn empty_input_is_not_an_error() {
        let state = AppState::default().apply(Action::SetToken("  \n".to_string()));
        assert_eq!(state.recognised, None);
        assert_eq!(state.decoded, None);
    }

    #[test]
    fn a_bad_paste_then_a_good_one_recovers() {
        let state = AppState::default()
            .apply(Action::SetToken("eyJ!.x.y".to_string()))
            .apply(Action::SetToken(
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.".to_string(),
            ));
        assert!(matches!(state.decoded, Some(Ok(_))));
    }

    #[test]
    fn clear_keeps_the_ca_but_forgets_the_token() {
        let state = AppState::default()
            .apply(Action::SetToken(SECRET.to_string()))
            .apply(Action::Clear);
        assert_eq!(state.token_input, "");
        assert_eq!(state.decoded, None);
        assert!(!state.ca_input.is_empty());
    }
}
