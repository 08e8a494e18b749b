// Where the console's first load spends its time: one cold load (as first-load.js) with a Chromium performance trace,
// then a breakdown from the page's resource timing and the trace's main-thread tasks. See docs/performance.md.
// Usage: node trace.js <playwright package dir> <console url> [trace file]
const { chromium } = require(process.argv[2]);
const fs = require("fs");
const url = process.argv[3];
const traceFile = process.argv[4] || "/tmp/console-trace.json";
(async () => {
    const browser = await chromium.launch({
        executablePath: process.env.MWAP_E2E_CHROMIUM || "/usr/bin/chromium", headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    // Marks the page cannot give otherwise: when the app's first render replaced the boot text, when scripts ran.
    await page.addInitScript(() => {
        window.__marks = {};
        const mark = n => { if (!(n in window.__marks)) window.__marks[n] = performance.now(); };
        document.addEventListener("DOMContentLoaded", () => {
            mark("domContentLoaded");
            const app = document.getElementById("app");
            new MutationObserver(() => mark("firstRender")).observe(app, { childList: true, subtree: true });
        });
        const log = console.log;
        console.log = function (...args) {
            if (typeof args[0] === "string" && args[0].startsWith("mark:")) mark(args[0].substring(5));
            return log.apply(this, args);
        };
        for (const fn of ["compileStreaming", "instantiateStreaming", "instantiate", "compile"]) {
            const original = WebAssembly[fn];
            WebAssembly[fn] = function (...args) {
                mark("wasm." + fn + ".start");
                const p = original.apply(this, args);
                p.then(() => mark("wasm." + fn + ".end"));
                return p;
            };
        }
    });
    await browser.startTracing(page, {
        path: traceFile, screenshots: false,
        categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.wasm", "blink.user_timing",
            "loading", "toplevel", "disabled-by-default-v8.compile"],
    });
    const start = Date.now();
    await page.goto(url);
    await page.locator("input[data-test=signin-sub], [data-test=signin-sub] input").first().waitFor({ timeout: 60000 });
    const wall = Date.now() - start;
    const interactive = await page.evaluate(() => performance.now());
    const marks = await page.evaluate(() => window.__marks);
    const resources = await page.evaluate(() => performance.getEntriesByType("resource").map(r => ({
        name: r.name.replace(location.origin, ""), start: r.startTime, end: r.responseEnd, bytes: r.transferSize,
        decoded: r.decodedBodySize,
    })));
    const nav = await page.evaluate(() => { const n = performance.getEntriesByType("navigation")[0]; return { end: n.responseEnd }; });
    await browser.stopTracing();
    await browser.close();

    const r0 = x => Math.round(x);
    console.log(`wall ${wall} ms; interactive at ${r0(interactive)} ms after navigation start; index.html done ${r0(nav.end)} ms`);
    console.log("marks:", Object.entries(marks).map(([k, v]) => `${k} ${r0(v)}`).join(", "));
    console.log("resources (start → end ms, transferred bytes):");
    for (const r of resources.sort((a, b) => a.start - b.start)) {
        console.log(`  ${r0(r.start).toString().padStart(5)} → ${r0(r.end).toString().padStart(5)}  ${String(r.bytes).padStart(8)}  ${r.name}`);
    }
    console.log(`  total transferred ${resources.reduce((s, r) => s + r.bytes, 0)} bytes in ${resources.length} requests`);

    // The renderer's main thread: busy time by top-level task kind, in windows between the page's milestones.
    const trace = JSON.parse(fs.readFileSync(traceFile, "utf8"));
    const events = trace.traceEvents || trace;
    const threadNames = {};
    for (const e of events) if (e.ph === "M" && e.name === "thread_name") threadNames[`${e.pid}:${e.tid}`] = e.args.name;
    // The renderer thread whose navigation loaded the console.
    const navStart = events.find(e => e.name === "navigationStart" && e.args && e.args.data && e.args.data.documentLoaderURL === url);
    const main = `${navStart.pid}:${navStart.tid}`;
    const t0 = navStart.ts;
    const ms = ts => (ts - t0) / 1000;
    const mainEvents = events.filter(e => e.ph === "X" && `${e.pid}:${e.tid}` === main && ms(e.ts) >= 0 && ms(e.ts) <= interactive)
        .sort((a, b) => a.ts - b.ts || (b.dur || 0) - (a.dur || 0));
    // Self time per event name (a parent's time minus its children's), so nothing is counted twice.
    const self = {};
    const stack = [];
    const busyIntervals = [];
    for (const e of mainEvents) {
        const end = e.ts + (e.dur || 0);
        while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
        if (stack.length) self[stack[stack.length - 1].name] -= (e.dur || 0) / 1000;
        else busyIntervals.push([ms(e.ts), ms(end), (e.tdur || 0) / 1000]);
        self[e.name] = (self[e.name] || 0) + (e.dur || 0) / 1000;
        stack.push({ name: e.name, end });
    }
    const at = name => (resources.find(r => r.name.includes(name)) || { start: NaN, end: NaN });
    const milestones = [
        ["index.html and its scripts loaded", at("blazor.webassembly.js").end],
        ["dotnet.js requested", at("/dotnet.js").start],
        ["last _framework file loaded", Math.max(...resources.filter(r => r.name.includes("/_framework/")).map(r => r.end))],
        ["config requested (Main runs)", at("console/config").start],
        ["config received", at("console/config").end],
        ["first render", marks.firstRender],
        ["sign-in input visible", interactive],
    ].filter(m => !Number.isNaN(m[1]) && m[1] !== undefined).sort((a, b) => a[1] - b[1]);
    console.log("phases (main thread busy / wall):");
    let from = 0;
    for (const [label, to] of milestones) {
        let sum = 0, cpu = 0;
        for (const [s, f, c] of busyIntervals) {
            const overlap = Math.max(0, Math.min(f, to) - Math.max(s, from));
            sum += overlap;
            cpu += f > s ? c * overlap / (f - s) : 0;
        }
        console.log(`  ${r0(from).toString().padStart(5)} → ${r0(to).toString().padStart(5)} ms  ${label}: main thread busy ${r0(sum)} ms (CPU ${r0(cpu)} ms) of ${r0(to - from)}`);
        from = to;
    }
    console.log(`main thread CPU time up to interactive: ${r0(busyIntervals.reduce((a, b) => a + b[2], 0))} ms (wall busy ${r0(busyIntervals.reduce((a, b) => a + b[1] - b[0], 0))} ms)`);
    console.log("main thread self time by event, up to interactive:");
    for (const [n, d] of Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${r0(d).toString().padStart(6)} ms  ${n}`);
    const longest = busyIntervals.map(([s, f]) => ({ at: s, dur: f - s })).sort((a, b) => b.dur - a.dur).slice(0, 8).sort((a, b) => a.at - b.at);
    console.log("longest main-thread tasks (start ms: duration ms):", longest.map(t => `${r0(t.at)}: ${r0(t.dur)}`).join(", "));
    // CPU of the renderer's other threads (wasm tier-up compilation runs there and competes for the cores).
    const perThread = {};
    for (const e of events.filter(e => e.ph === "X" && e.pid === navStart.pid && ms(e.ts) >= 0 && ms(e.ts) <= interactive).sort((a, b) => a.ts - b.ts || (b.dur || 0) - (a.dur || 0))) {
        const k = `${e.pid}:${e.tid}`;
        const t = perThread[k] || (perThread[k] = { end: 0, cpu: 0 });
        if (e.ts >= t.end) { t.cpu += (e.tdur || 0) / 1000; t.end = e.ts + (e.dur || 0); }
    }
    const otherCpu = Object.entries(perThread).filter(([k]) => k !== main).reduce((a, [, t]) => a + t.cpu, 0);
    console.log(`renderer CPU up to interactive: main thread ${r0(perThread[main].cpu)} ms, other threads ${r0(otherCpu)} ms`);
    // Other threads (wasm compile happens off the main thread for streaming compilation).
    const other = {};
    for (const e of events) {
        if (e.ph !== "X" || e.pid !== navStart.pid || `${e.pid}:${e.tid}` === main) continue;
        const at = (e.ts - t0) / 1000;
        if (at < 0 || at > interactive || !/wasm|Wasm|compile|Compile/.test(e.name)) continue;
        const k = `${threadNames[`${e.pid}:${e.tid}`] || e.tid} ${e.name}`;
        other[k] = (other[k] || 0) + (e.dur || 0) / 1000;
    }
    console.log("other threads, wasm/compile events:");
    for (const [n, d] of Object.entries(other).sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${r0(d).toString().padStart(6)} ms  ${n}`);
})().catch(e => { console.error(e); process.exit(1); });
