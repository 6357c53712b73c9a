//! The file field beside a big text area: **Open a file**, or a file dropped on the text area,
//! or a text over 1 MiB put into it (pasted, dropped, set), is read in chunks (`Blob.slice` and `arrayBuffer`, one
//! chunk a task, so the page paints and answers between chunks) and never laid out as text.
//! It shows the file's name, size, a progress bar, **Cancel** and **Clear**; what the chunks
//! become is the page's, through [`FileEvent`]s, or, for a field whose reader needs the whole
//! text, through the core's bounded [`chunk::Text`].

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, ClipboardEvent, DragEvent, HtmlInputElement};
use web_sys::{HtmlTextAreaElement, Window};
use yew::platform::spawn_local;
use yew::prelude::*;

use super::tasks::next_task;
pub use crate::state::FileEvent;
use crate::support::chunk::{self, PASTE_AS_FILE};
use crate::ui::hooks::use_effect_key;

/// Props of [`FileField`].
#[derive(Properties, PartialEq)]
pub struct FileFieldProps {
    /// The field's name, as its label says it: "Audit events".
    pub label: AttrValue,
    /// The id of the text area this field serves: a file dropped on it, or a paste over
    /// 1 MiB into it, is read here.
    pub textarea: AttrValue,
    /// Every event of a file, for a page that reads it chunk by chunk.
    #[prop_or_default]
    pub onfile: Option<Callback<FileEvent>>,
    /// The whole text once read, for a page whose reader needs all of it ("" on **Clear**).
    #[prop_or_default]
    pub ontext: Option<Callback<String>>,
    /// The most bytes `ontext` takes: the field's own limit.
    #[prop_or(1024 * 1024)]
    pub limit: usize,
    /// What was read, in the page's words: "2,712 roles and bindings".
    #[prop_or_default]
    pub summary: Option<AttrValue>,
}

/// What the field shows of its file.
#[derive(Clone, Debug, Default, PartialEq)]
struct Shown {
    name: String,
    size: u64,
    done: u64,
    reading: bool,
    pasted: bool,
    cancelled: bool,
    error: Option<String>,
}

/// The page's callbacks as of the last render: a file read across renders reaches the page's
/// current ones.
type Latest = Rc<RefCell<(Option<Callback<FileEvent>>, Option<Callback<String>>, usize)>>;

#[derive(Clone)]
struct Reader {
    run: Rc<RefCell<u64>>,
    latest: Latest,
    shown: UseStateHandle<Option<Shown>>,
    textarea: AttrValue,
}

impl Reader {
    fn emit(&self, event: FileEvent) {
        let onfile = self.latest.borrow().0.clone();
        if let Some(onfile) = onfile {
            onfile.emit(event);
        }
    }

    /// Stops any read under way: its next chunk finds a newer run.
    fn next_run(&self) -> u64 {
        let mut run = self.run.borrow_mut();
        *run = run.wrapping_add(1);
        *run
    }

    fn current(&self, run: u64) -> bool {
        *self.run.borrow() == run
    }

    fn clear_textarea(&self) {
        let area = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&self.textarea))
            .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok());
        if let Some(area) = area {
            area.set_value("");
        }
    }

    fn start(&self, blob: Blob, name: String, pasted: bool) {
        let run = self.next_run();
        let size = blob.size() as u64;
        let mut shown = Shown {
            name: name.clone(),
            size,
            reading: true,
            pasted,
            ..Shown::default()
        };
        self.shown.set(Some(shown.clone()));
        self.emit(FileEvent::Started(name, size));
        let this = self.clone();
        spawn_local(async move {
            let (ontext, limit) = {
                let latest = this.latest.borrow();
                (latest.1.clone(), latest.2)
            };
            let mut text = ontext.as_ref().map(|_| chunk::Text::new(limit));
            for (start, end) in chunk::plan(size, 0) {
                let read = match blob.slice_with_f64_and_f64(start as f64, end as f64) {
                    Ok(slice) => JsFuture::from(slice.array_buffer()).await,
                    Err(e) => Err(e),
                };
                if !this.current(run) {
                    return;
                }
                let bytes = match read {
                    Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                    Err(_) => {
                        return this.fail(shown, "The file could not be read (was it moved or deleted?); the answer before it stays.".to_string());
                    }
                };
                match text.as_mut() {
                    Some(text) => {
                        if let Err(e) = text.push(&bytes) {
                            return this.fail(shown, e.to_string());
                        }
                    }
                    None => this.emit(FileEvent::Chunk(bytes)),
                }
                shown.done = end;
                this.shown.set(Some(shown.clone()));
            }
            // The dump is settled in a task of its own, not after the last chunk's, and the
            // answer drawn in the next.
            if text.is_none() {
                next_task().await;
                if !this.current(run) {
                    return;
                }
                this.emit(FileEvent::Settle);
            }
            next_task().await;
            if !this.current(run) {
                return;
            }
            match (text, ontext) {
                (Some(text), Some(ontext)) => match text.finish() {
                    Ok(text) => ontext.emit(text),
                    Err(e) => return this.fail(shown, e.to_string()),
                },
                _ => this.emit(FileEvent::Done),
            }
            this.clear_textarea();
            shown.reading = false;
            shown.done = size;
            this.shown.set(Some(shown));
        });
    }

    fn fail(&self, mut shown: Shown, why: String) {
        self.next_run();
        self.emit(FileEvent::Cancelled);
        shown.reading = false;
        shown.error = Some(why);
        self.shown.set(Some(shown));
    }

    fn cancel(&self) {
        self.next_run();
        self.emit(FileEvent::Cancelled);
        let mut shown = (*self.shown).clone().unwrap_or_default();
        shown.reading = false;
        shown.cancelled = true;
        self.shown.set(Some(shown));
    }

    fn clear(&self) {
        self.next_run();
        self.emit(FileEvent::Cleared);
        let ontext = self.latest.borrow().1.clone();
        if let Some(ontext) = ontext {
            ontext.emit(String::new());
        }
        self.clear_textarea();
        self.shown.set(None);
    }

    /// A drop of a file on the text area, or a text too long to lay out, pasted or put in.
    fn listen(&self, window: &Window) -> Vec<EventListener> {
        // Heard on the document, for events aimed at the text area: a page makes its text area
        // anew when the app fills it (an example), and the new one is heard as the old one was.
        let Some(area) = window.document() else {
            return Vec::new();
        };
        let id = self.textarea.clone();
        let aimed = move |e: &Event| {
            e.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.id() == *id)
        };
        let options = EventListenerOptions::enable_prevent_default();
        let on_area = aimed.clone();
        let dragover = EventListener::new_with_options(&area, "dragover", options, move |e| {
            let files = on_area(e)
                && e.dyn_ref::<DragEvent>()
                    .and_then(DragEvent::data_transfer)
                    .is_some_and(|d| d.types().includes(&"Files".into(), 0));
            if files {
                e.prevent_default();
            }
        });
        let this = self.clone();
        let on_area = aimed.clone();
        let drop = EventListener::new_with_options(&area, "drop", options, move |e| {
            if !on_area(e) {
                return;
            }
            let file = e
                .dyn_ref::<DragEvent>()
                .and_then(DragEvent::data_transfer)
                .and_then(|d| d.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                e.prevent_default();
                this.start(file.clone().into(), file.name(), false);
            }
        });
        let this = self.clone();
        let on_area = aimed.clone();
        let paste = EventListener::new_with_options(&area, "paste", options, move |e| {
            if !on_area(e) {
                return;
            }
            let text = e
                .dyn_ref::<ClipboardEvent>()
                .and_then(ClipboardEvent::clipboard_data)
                .and_then(|d| d.get_data("text").ok())
                .unwrap_or_default();
            if this.take_text(text) {
                e.prevent_default();
            }
        });
        // Text put in by other means (dropped from another window, undone, filled in by the
        // browser) is heard before the page's own handler, which would read it in one go.
        let this = self.clone();
        let capture = EventListenerOptions::run_in_capture_phase();
        let input = EventListener::new_with_options(&area, "input", capture, move |e| {
            let Some(field) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            // Its length is asked first: a keystroke does not copy the text out again.
            let long = field.text_length() as usize * 3 > PASTE_AS_FILE;
            if long && aimed(e) && this.take_text(field.value()) {
                e.stop_immediate_propagation();
                field.set_value("");
            }
        });
        vec![dragover, drop, paste, input]
    }

    /// Reads a text over 1 MiB as a file, never laid out as text; `false` for a shorter one,
    /// which the text area keeps.
    fn take_text(&self, text: String) -> bool {
        if text.len() <= PASTE_AS_FILE {
            return false;
        }
        let parts = js_sys::Array::of1(&text.into());
        let bag = BlobPropertyBag::new();
        bag.set_type("text/plain");
        if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &bag) {
            self.start(blob, "Pasted text".to_string(), true);
        }
        true
    }
}

/// The `ontext` of a field whose text goes to `onaction` as `make(text)`, as typing does.
pub fn text_to(
    onaction: &Callback<crate::ui::state::Action>,
    make: fn(String) -> crate::ui::state::Action,
) -> Callback<String> {
    let onaction = onaction.clone();
    Callback::from(move |text: String| onaction.emit(make(text)))
}

/// The FNV-1a hash of a text area's id: the key its listeners are attached again on, should a
/// field be given another text area.
fn fnv(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// **Open a file** beside a text area, with the file's name, size, progress, **Cancel** and
/// **Clear**.
#[component]
pub fn FileField(props: &FileFieldProps) -> Html {
    let shown = use_state(|| None::<Shown>);
    let run = use_mut_ref(|| 0u64);
    let latest: Latest = use_mut_ref(|| (None, None, 0));
    *latest.borrow_mut() = (props.onfile.clone(), props.ontext.clone(), props.limit);
    let reader = Reader {
        run,
        latest,
        shown: shown.clone(),
        textarea: props.textarea.clone(),
    };
    {
        let reader = reader.clone();
        use_effect_key(
            fnv(&props.textarea),
            Box::new(move |_| {
                let listeners = web_sys::window()
                    .map(|w| reader.listen(&w))
                    .unwrap_or_default();
                Box::new(move || drop(listeners))
            }),
        );
    }
    let onchange = {
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                reader.start(file.clone().into(), file.name(), false);
            }
            // The same file chosen again is read again.
            input.set_value("");
        })
    };
    let oncancel = {
        let reader = reader.clone();
        Callback::from(move |_: MouseEvent| reader.cancel())
    };
    let onclear = Callback::from(move |_: MouseEvent| reader.clear());
    let label = &props.label;
    html! {
        <div class="file-field">
            <label class="file-open">
                { "Open a file" }
                <input type="file" aria-label={format!("Open a file for {label}")} {onchange} />
            </label>
            <span class="hint">{ " or drop one on the field." }</span>
            if let Some(s) = shown.as_ref() {
                <p class="file-name" role="status" aria-label={format!("{label} file")}>
                    { format!("{} ({})", s.name, chunk::bytes(s.size)) }
                    if s.pasted { { ": the paste is over 1 MiB, so it is read as a file is, not shown in the field." } }
                </p>
                if s.reading {
                    <p class="file-progress">
                        <progress aria-label={format!("Reading {label}")} max={s.size.to_string()} value={s.done.to_string()} />
                        { " " }{ chunk::progress(s.done, s.size) }{ " " }
                        <button type="button" onclick={oncancel}>{ "Cancel" }</button>
                    </p>
                } else if let Some(why) = &s.error {
                    <p class="error" role="alert">{ why.clone() }</p>
                } else if s.cancelled {
                    <p class="hint" role="status">{ "Cancelled: the answer before it stays." }</p>
                } else if let Some(summary) = &props.summary {
                    <p class="recognised" role="status" aria-label={format!("{label} read")}>{ summary.clone() }</p>
                }
                if !s.reading {
                    <button type="button" aria-label={format!("Clear {label}")} onclick={onclear}>{ "Clear" }</button>
                }
            }
        </div>
    }
}
