// The few browser calls the console needs that Blazor has no API for.
window.mwapConsole = {
    // Opens the provider's authorization page in a popup; answers whether the browser allowed it.
    openPopup: function (url) {
        const popup = window.open(url, "mwap-oauth", "width=640,height=760");
        return popup !== null;
    },
    // Starts a download of a URL the API handed out (a short-lived link), without leaving the console.
    download: function (url, name) {
        const a = document.createElement("a");
        a.href = url;
        a.download = name || "";
        a.rel = "noopener";
        document.body.appendChild(a);
        a.click();
        a.remove();
    },
    prefersDark: function () {
        return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    }
};
