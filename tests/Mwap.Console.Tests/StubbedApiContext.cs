using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

/// <summary>A bUnit context with MudBlazor's services and an <see cref="ApiClient"/> whose answers come from a <see cref="StubApi"/>.</summary>
public abstract class StubbedApiContext : BunitContext
{
    protected StubbedApiContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private protected StubApi Serve(Func<HttpRequestMessage, (HttpStatusCode, string)> answer)
    {
        var stub = new StubApi(answer);
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));
        return stub;
    }
}
