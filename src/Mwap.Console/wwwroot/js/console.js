// The few browser calls the console needs that Blazor has no API for.
window.mwapConsole = {
    // Opens an empty window while the click's user activation lasts (browsers block popups opened later, e.g. after an
    // API call); answers whether the browser allowed it. navigateWindow then sends it where the API said.
    openWindow: function (name, features) {
        const opened = window.open("about:blank", name, features || "");
        if (opened) {
            opened.opener = features ? window : null;
            window.mwapConsole.windows[name] = opened;
        }
        return opened !== null;
    },
    navigateWindow: function (name, url) {
        const opened = window.mwapConsole.windows[name];
        if (opened && !opened.closed) {
            opened.location.href = url;
        }
    },
    closeWindow: function (name) {
        const opened = window.mwapConsole.windows[name];
        if (opened && !opened.closed) {
            opened.close();
        }
    },
    windows: {},
    prefersDark: function () {
        return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    },
    // The configuration the server wrote into index.html (JSON text), read by Program.cs instead of asking the API.
    config: document.getElementById("mwap-console-config")?.textContent || null
};
