#!/usr/bin/env python3
"""Open a drawn SVG in headless Chromium and report what a browser user gets from it.

Used by tests/test_svg_browser.c, which makes the map and checks the answers. One browser
start, driven over the DevTools protocol on --remote-debugging-pipe (fds 3 and 4, JSON
messages ended by a NUL byte); standard library only.

    svg_browser.py CHROMIUM SVG OUTDIR SPEC

SPEC, a JSON file: {"without": the SVG without its text layer and links, "shown": the SVG
with its text layer painted, "word": a word to find, "line": the text of one drawn line to
select and copy, "card": [x, y, w, h] a linked card's box in the SVG's user units}. Writes
with.png, without.png and shown.png to OUTDIR and prints one JSON object of findings on
stdout. Gives up after TIMEOUT seconds, killing the browser, so it can never hang a test run.
"""
import base64
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

TIMEOUT = 45


class Browser:
    def __init__(self, chromium, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # Chromium reads commands on fd 3 and answers on fd 4.
        # Above 4 first, so that neither dup2 below overwrites the other's source.
        hi_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        hi_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)

        def fds():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--hide-scrollbars", "--force-color-profile=srgb",
                "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=fds, pass_fds=(3, 4),
                                     start_new_session=True)
        for fd in (to_child_r, from_child_w, hi_r, hi_w):
            os.close(fd)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def _read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m["result"]
            self.events.append(m)

    def wait_event(self, method):
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    del self.events[i]
                    return m
            self.events.append(self._read())

    def js(self, expr, gesture=False):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True, "userGesture": gesture})
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def open(self, path):
        self.send("Page.navigate", {"url": "file://" + os.path.abspath(path)})
        self.wait_event("Page.loadEventFired")

    def screenshot(self, path):
        # A fresh frame after any change to the DOM, then the page at 1 CSS px per px.
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        png = self.send("Page.captureScreenshot", {"format": "png", "fromSurface": True})
        with open(path, "wb") as f:
            f.write(base64.b64decode(png["data"]))


def ax_findings(b, word):
    """The root's role, name and description, and what the tree holds of the text layer."""
    b.send("Accessibility.enable")
    nodes = b.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}

    def val(n, key):
        return (n.get(key) or {}).get("value", "")

    root = None
    for n in nodes:
        if not n.get("ignored") and val(n, "role") in ("image", "img", "graphics-document",
                                                       "graphics-object"):
            root = n
            break
    out = {"root_role": "", "root_name": "", "root_description": "", "roles": [],
           "word_in_tree": False, "root_children": 0, "root_texts": []}
    if root:
        out["root_role"] = val(root, "role")
        out["root_name"] = val(root, "name")
        out["root_description"] = val(root, "description")
        out["root_children"] = len(root.get("childIds", []))
        # The texts a screen reader walks under the root, in the tree's order.
        stack = list(reversed(root.get("childIds", [])))
        texts = []
        while stack:
            n = by_id.get(stack.pop())
            if not n:
                continue
            if not n.get("ignored") and val(n, "role") == "StaticText":
                texts.append(val(n, "name"))
            else:
                stack.extend(reversed(n.get("childIds", [])))
        out["root_texts"] = texts
    out["links"] = [val(n, "name") for n in nodes
                    if not n.get("ignored") and val(n, "role") == "link"]
    seen = set()
    for n in nodes:
        if n.get("ignored"):
            continue
        seen.add(val(n, "role"))
        if word in str(val(n, "name")):
            out["word_in_tree"] = True
    out["roles"] = sorted(seen)
    return out


def main():
    chromium, svg, outdir, spec = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    with open(spec, encoding="utf-8") as f:
        spec = json.load(f)
    profile = tempfile.mkdtemp(prefix="jmap-chromium-")
    b = Browser(chromium, profile)

    def give_up(*_):
        b.kill()
        shutil.rmtree(profile, ignore_errors=True)
        sys.stderr.write("svg_browser.py: no answer in %d s, browser killed\n" % TIMEOUT)
        os._exit(3)

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(TIMEOUT)
    found = {}
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        b.session = b.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                           session=False)["sessionId"]
        b.send("Page.enable")
        b.send("Runtime.enable")
        b.open(svg)
        found["content_type"] = b.js("document.contentType")
        found["root"] = b.js("document.documentElement.localName")
        size = b.js("(() => { const r = document.documentElement.getBoundingClientRect();"
                    " return [Math.ceil(r.width), Math.ceil(r.height)]; })()")
        b.send("Emulation.setDeviceMetricsOverride", {"width": size[0], "height": size[1],
                                                     "deviceScaleFactor": 1, "mobile": False})
        found["size"] = size

        # A screen reader's view: the accessibility tree.
        found["ax"] = ax_findings(b, spec["word"])

        # Find: the browser's own find in page, and what it selects.
        word = json.dumps(spec["word"])
        found["find"] = b.js("window.find(%s, true, false, true)" % word)
        found["find_selection"] = b.js("String(getSelection())")
        found["find_in_layer"] = b.js(
            "(() => { const n = getSelection().anchorNode;"
            " return !!(n && n.parentElement && n.parentElement.closest('#jmap-text')); })()")

        # Select a drawn line as a triple click would, copy it with the browser's own copy
        # command, and read the clipboard back.
        line = json.dumps(spec["line"])
        found["line_found"] = b.js(
            "(() => { const t = [...document.querySelectorAll('#jmap-text text')]"
            ".find(e => e.textContent === %s); if (!t) return false;"
            " const r = document.createRange(); r.selectNodeContents(t);"
            " getSelection().removeAllRanges(); getSelection().addRange(r); return true; })()"
            % line)
        found["line_selection"] = b.js("String(getSelection())")
        b.send("Browser.grantPermissions", {"permissions": ["clipboardReadWrite",
                                                            "clipboardSanitizedWrite"]},
               session=False)
        # Ctrl+C as the keyboard sends it (execCommand works only in HTML documents).
        for kind in ("rawKeyDown", "keyUp"):
            b.send("Input.dispatchKeyEvent", {"type": kind, "key": "c", "code": "KeyC",
                                              "windowsVirtualKeyCode": 67, "modifiers": 2,
                                              "commands": ["copy"] if kind == "rawKeyDown"
                                              else []})
        try:
            found["clipboard"] = b.js("navigator.clipboard.readText()", gesture=True)
        except RuntimeError as e:
            found["clipboard"] = None
            found["clipboard_error"] = str(e)[:300]
        b.js("getSelection().removeAllRanges()")

        # Links: what lies at the centre of the linked card, in the page's own hit testing.
        x, y, w, h = spec["card"]
        found["link"] = b.js(
            "(() => { const s = document.documentElement, p = s.createSVGPoint();"
            " p.x = %r; p.y = %r; const q = p.matrixTransform(s.getScreenCTM());"
            " const e = document.elementFromPoint(q.x, q.y); const a = e && e.closest('a');"
            " return {element: e ? e.localName : null, href: a ? a.getAttribute('href') : null,"
            " resolved: a && a.href ? String(a.href.baseVal || a.href) : null,"
            " x: q.x, y: q.y}; })()" % (x + w / 2, y + h / 2))

        # Pixels: each document freshly loaded and painted once at the same size: as drawn,
        # with the layer and links taken out, and with the layer painted (the comparison must
        # see that). Not the DOM changed in place: Chromium's repaint after any change differs
        # from its first paint in a few hundred anti-aliased pixels, layer or not.
        for name, path in (("with", svg), ("without", spec["without"]), ("shown", spec["shown"])):
            b.open(path)
            b.screenshot(os.path.join(outdir, name + ".png"))
    finally:
        signal.alarm(0)
        b.kill()
        shutil.rmtree(profile, ignore_errors=True)
    json.dump(found, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
