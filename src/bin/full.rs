//! Entry point of the full app: the same start as the first-visit app, built with the `full`
//! feature. Loaded on demand by the first-visit app (`ui::upgrade`), it takes over its state.

fn main() {
    tokenscope::ui::start();
}
