//! Entry point: mounts the UI. Everything else lives in the library.

fn main() {
    tokenscope::ui::start();
}
