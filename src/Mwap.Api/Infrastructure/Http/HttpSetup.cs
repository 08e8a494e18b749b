using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.WebConsole;
using Mwap.Api.Infrastructure.Http.OpenApi;
using Mwap.Api.Infrastructure.Security;
using Scalar.AspNetCore;
using Serilog;

namespace Mwap.Api.Infrastructure.Http;

internal static class HttpSetup
{
    public const string OpenApiPath = "/api/v1/openapi";
    private static readonly string[] Rs256Only = ["RS256"];

    /// <summary>JSON contract, the one exception handler, CORS, limits and the OpenAPI document.</summary>
    public static WebApplicationBuilder AddHttpPipeline(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.SectionName).ValidateDataAnnotations()
            .Validate(ForwardedHeadersSetup.Valid, "Http:KnownProxies must be IP addresses and Http:KnownNetworks CIDR networks (e.g. 10.0.0.0/8)")
            .ValidateOnStart();
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<CorsOptions>().BindConfiguration(CorsOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<UserRateLimiter>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.Configure<JsonOptions>(o => MwapJson.Configure(o.SerializerOptions));
        // Binding failures (malformed JSON, wrong types, wrong content type) throw, so the one handler answers them.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<MwapExceptionHandler>();
        builder.Services.AddProblemDetails();

        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CorsOptions>>((cors, allowed) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins(allowed.Value.AllowedOrigins)
                .AllowCredentials()
                .AllowAnyHeader()
                .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                .WithExposedHeaders("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After", "Location", RequestBodies.IgnoredFieldsHeader)));

        builder.Services.AddOpenApi("v1", o => o.AddMwapConventions());
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>The middleware, in order. Errors first so everything after them answers in the envelope.</summary>
    public static WebApplication UseMwapPipeline(this WebApplication app)
    {
        // First: everything after it (logs, limits, audit, HSTS, cookies) must see the client, not the proxy.
        app.UseTrustedForwardedHeaders();
        app.UseSerilogRequestLogging(o =>
        {
            // This host's own logger, not Serilog's static one: several hosts in one process (tests) must not share it.
            o.Logger = app.Services.GetService<Serilog.ILogger>();
            o.EnrichDiagnosticContext = (diagnostics, http) => diagnostics.Set("UserId", http.User.FindFirst("sub")?.Value ?? "anonymous");
        });
        app.UseExceptionHandler();
        app.UseEnvelopeStatusCodePages();
        app.UseSecurityHeaders();
        app.UseRequestBodyLimit();
        app.UseConsoleFiles();
        app.Use((context, next) =>
        {
            // MWAP clients ask for /api/v1/openapi (JSON) or ?format=yaml; the document itself lives at a versioned path.
            if (context.Request.Path.Equals(OpenApiPath, StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(context.Request.Method))
            {
                var yaml = string.Equals(context.Request.Query["format"], "yaml", StringComparison.OrdinalIgnoreCase);
                context.Request.Path = $"{OpenApiPath}/v1.{(yaml ? "yaml" : "json")}";
            }

            return next(context);
        });
        app.UseRouting();
        app.UseCors();
        app.UseAuthentication();
        app.UseUserRateLimiting();
        app.UseRouteIdValidation();
        app.UseAuthorization();
        app.UseUnknownFieldsDropped();
        return app;
    }

    /// <summary>The OpenAPI document (JSON and YAML), the Scalar UI at <c>/docs</c>, and the development issuer's keys.</summary>
    public static WebApplication MapDocsAndWellKnown(this WebApplication app)
    {
        app.MapOpenApi(OpenApiPath + "/{documentName}.json").AllowAnonymous();
        app.MapOpenApi(OpenApiPath + "/{documentName}.yaml").AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithOpenApiRoutePattern(OpenApiPath + "/{documentName}.json").WithTitle("MWAP for .NET"))
            .AllowAnonymous();

        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.IsDevelopmentMode)
        {
            var key = app.Services.GetRequiredService<DevSigningKey>();
            app.MapGet("/.well-known/jwks.json", () => Results.Json(key.Jwks())).AllowAnonymous().ExcludeFromDescription();
            app.MapGet("/.well-known/openid-configuration", (HttpContext http) =>
                Results.Json(new
                {
                    issuer = auth.DevIssuer,
                    jwks_uri = $"{http.Request.Scheme}://{http.Request.Host}/.well-known/jwks.json",
                    id_token_signing_alg_values_supported = Rs256Only,
                })).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>Unknown <c>/api/v1</c> routes: 404 <c>route/not-found</c>, after authentication as in MWAP.</summary>
    public static RouteGroupBuilder MapApiNotFound(this RouteGroupBuilder api)
    {
        // Routing would answer a body with the wrong Content-Type by skipping the endpoint, so the request fell through to
        // this fallback as a 404. Accepting any type at routing lets the body binder refuse it (400 in the envelope).
        ((IEndpointConventionBuilder)api).Finally(endpoint =>
        {
            foreach (var accepts in endpoint.Metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().ToList())
            {
                endpoint.Metadata.Remove(accepts);
            }
        });
        api.MapFallback("{**path}", (HttpContext http) =>
            Results.Json(ErrorResponseWriter.Create(http, ErrorCodes.RouteNotFound,
                $"Endpoint not found: {http.Request.Method} {http.Request.Path}{http.Request.QueryString}"),
                MwapJson.Options, statusCode: StatusCodes.Status404NotFound)).ExcludeFromDescription();
        return api;
    }
}
