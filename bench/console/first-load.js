// First load of the console in Debian's Chromium: from navigation to the sign-in form being usable (the WebAssembly
// runtime downloaded, started and rendering). Run with the node and the Playwright package that Microsoft.Playwright
// ships (see docs/performance.md); a cold browser context each run, so nothing comes from the cache.
// Usage: node first-load.js <playwright package dir> <console url> [runs]
const { chromium } = require(process.argv[2]);
const url = process.argv[3];
const runs = Number(process.argv[4] || 5);
(async () => {
    const browser = await chromium.launch({
        executablePath: process.env.MWAP_E2E_CHROMIUM || "/usr/bin/chromium", headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
    });
    const times = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        let transferred = 0;
        page.on("response", async r => { const l = Number(r.headers()["content-length"] || 0); transferred += l; });
        const start = Date.now();
        await page.goto(url);
        await page.locator("input[data-test=signin-sub], [data-test=signin-sub] input").first().waitFor({ timeout: 60000 });
        times.push(Date.now() - start);
        bytes = transferred;
        await context.close();
    }
    await browser.close();
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ runs: times, median: times[Math.floor(times.length / 2)], transferredBytes: bytes }));
})().catch(e => { console.error(e); process.exit(1); });
