namespace Provenance.Api.Pages;

/// <summary>The dashboard's sign-in form: a producer API key, posted once, kept in an HttpOnly cookie.</summary>
internal static class DashboardLoginPage
{
    public static string Render(bool failed) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        + "<title>Provenance · sign in</title><style>body{font-family:" + PageLayout.FontStack + ";max-width:26rem;margin:3rem auto;padding:0 1rem}"
        + "input,button{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;margin-top:.5rem}.error{color:#b3261e}</style></head><body>"
        + "<h1>Producer dashboard</h1><p>Sign in with a producer API key (<code>provenance keys create --role producer</code>).</p>"
        + (failed ? "<p class=\"error\" id=\"login-error\">That key is not a valid producer key.</p>" : string.Empty)
        + "<form method=\"post\" action=\"/dashboard/login\"><label for=\"key\">API key</label>"
        + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required><button type=\"submit\">Sign in</button></form></body></html>";
}
