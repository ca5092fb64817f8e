//! A headless Chromium driven through its DevTools protocol over a pipe
//! (`--remote-debugging-pipe`: the browser reads commands on file descriptor 3 and answers on 4,
//! each message JSON ended by a NUL byte), for tests that type into a page and press its
//! buttons. Every wait is bounded, and the browser is killed when the driver is dropped.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long one command may take to be answered.
const ANSWER: Duration = Duration::from_secs(30);

/// A browser with one page attached.
pub struct Browser {
    child: Child,
    commands: std::process::ChildStdin,
    answers: Receiver<Value>,
    next: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium at `bin` with one blank page, in time zone `UTC`.
    pub fn start(bin: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("profile directory");
        // The shell hands the browser our pipes as its descriptors 3 and 4 (its standard input
        // and output become empty), then becomes the browser.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(bin)
            .args(super::CHROMIUM_FLAGS)
            .arg("--remote-debugging-pipe")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .env("TZ", "UTC")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let commands = child.stdin.take().expect("piped stdin");
        let answers_in = child.stdout.take().expect("piped stdout");
        let (tx, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(answers_in);
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        message.pop();
                        if let Ok(v) = serde_json::from_slice::<Value>(&message) {
                            if tx.send(v).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        });
        let mut browser =
            Browser { child, commands, answers, next: 0, session: String::new(), _profile: profile };
        let target = browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let target = target["targetId"].as_str().expect("a target id").to_string();
        let attached =
            browser.call(None, "Target.attachToTarget", json!({ "targetId": target, "flatten": true }));
        browser.session = attached["sessionId"].as_str().expect("a session id").to_string();
        browser.call(Some(()), "Page.enable", json!({}));
        browser
    }

    /// Sends a command (to the page's session, or to the browser) and returns its result.
    fn call(&mut self, page: Option<()>, method: &str, params: Value) -> Value {
        match self.call_within(page, method, params, ANSWER) {
            Some(Ok(v)) => v,
            Some(Err(e)) => panic!("{method} failed: {e}"),
            None => panic!("{method}: no answer within {}s", ANSWER.as_secs()),
        }
    }

    /// [`Browser::call`]: its result or the browser's error, `None` when no answer came within
    /// `wait` (a page being replaced may drop a command; an answer that comes later is passed
    /// over).
    fn call_within(
        &mut self,
        page: Option<()>,
        method: &str,
        params: Value,
        wait: Duration,
    ) -> Option<Result<Value, Value>> {
        self.next += 1;
        let id = self.next;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if page.is_some() {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("JSON");
        bytes.push(0);
        self.commands.write_all(&bytes).expect("the browser takes commands");
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.answers.recv_timeout(left) {
                Ok(v) if v["id"] == json!(id) => {
                    return Some(match v.get("error") {
                        Some(e) => Err(e.clone()),
                        None => Ok(v["result"].clone()),
                    });
                }
                Ok(_) => {} // an event, or a late answer
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("{method}: the browser went away"),
            }
        }
    }

    /// Evaluates a script in the page and returns its value.
    pub fn eval(&mut self, script: &str) -> Value {
        let r = self.call(
            Some(()),
            "Runtime.evaluate",
            json!({ "expression": script, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("the script failed: {e}\n{script}");
        }
        r["result"]["value"].clone()
    }

    /// Presses Enter on the keyboard (in the focused element).
    pub fn press_enter(&mut self) {
        for kind in ["keyDown", "keyUp"] {
            self.call(
                Some(()),
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r" }),
            );
        }
    }

    /// Opens `url` and waits until the page has loaded.
    pub fn open(&mut self, url: &str) {
        self.call(Some(()), "Page.navigate", json!({ "url": url }));
        self.wait_for(
            &format!("location.href.startsWith({}) && document.readyState === 'complete'", json!(url)),
            url,
        );
    }

    /// Waits until `condition` (a script) is true in the page; panics naming `what` after 30 s.
    pub fn wait_for(&mut self, condition: &str, what: &str) {
        let deadline = Instant::now() + ANSWER;
        loop {
            // A page being replaced may not answer, or answer that it went away: that is a
            // false, not a failure.
            let r = self.call_within(
                Some(()),
                "Runtime.evaluate",
                json!({ "expression": condition, "returnByValue": true }),
                Duration::from_secs(5),
            );
            if r.is_some_and(|r| r.is_ok_and(|r| r["result"]["value"] == json!(true))) {
                return;
            }
            if Instant::now() >= deadline {
                let status = self.eval("(document.getElementById('c-status') || {}).textContent || ''");
                panic!("waited {}s for {what}; the page says: {status}", ANSWER.as_secs());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
