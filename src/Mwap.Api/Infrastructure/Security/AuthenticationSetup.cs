using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>JWT bearer authentication (RS256 only) and MWAP's role-based authorization.</summary>
internal static class AuthenticationSetup
{
    private const string FailureCodeItem = "mwap.auth.failure-code";

    /// <summary>
    /// Validates bearer tokens against <c>Auth:Authority</c>'s discovery document and JWKS, or, in development mode,
    /// against the local key in <c>data/</c>. Refuses to start in Production without an authority.
    /// </summary>
    public static WebApplicationBuilder AddMwapAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            // Development mode (a local signing key, dev-token) only in Development: a Staging or Testing server left
            // without an authority must not quietly accept tokens anyone with the data directory can mint.
            .Validate<IHostEnvironment>((o, environment) => !o.IsDevelopmentMode || environment.IsDevelopment(),
                "Auth:Authority: required outside Development (development tokens work only there): set the OIDC issuer, e.g. https://your-tenant.eu.auth0.com/")
            .Validate(o => o.IsDevelopmentMode || !string.IsNullOrWhiteSpace(o.Audience),
                "Auth:Audience: required with Auth:Authority: set the API identifier your tokens carry in 'aud', e.g. https://api.your-product.com")
            .ValidateOnStart();
        builder.Services.AddSingleton<DevSigningKey>();
        builder.Services.AddOptions<EncryptionOptions>().BindConfiguration(EncryptionOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EncryptionOptions>, EncryptionOptionsValidator>();
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddSingleton<ISecretProtector>(sp => sp.GetRequiredService<SecretProtector>());
        builder.Services.AddHostedService<SecretProtectorStartupCheck>();
        builder.Services.AddScoped<SecretRotation>();
        // A token signed with a key we have not seen makes the handler refetch the issuer's JWKS. By default IdentityModel
        // refetches in the background, so the request that revealed the rotation would still fail; blocking makes it succeed.
        // The refetch is throttled (RefreshInterval below), so random kids cannot turn into a flood of JWKS requests.
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, DevSigningKey>((jwt, authOptions, devKey) => Configure(jwt, authOptions.Value, devKey));

        builder.Services.AddHybridCache();
        builder.Services.AddScoped<IRoleResolver, RoleResolver>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, MwapAuthorizationResultHandler>();
        builder.Services.AddScoped<IAuthorizationHandler, SuperAdminHandler>();
        builder.Services.AddScoped<IAuthorizationHandler, TenantAccessHandler>();
        builder.Services.AddScoped<IAuthorizationHandler, AnyTenantOwnerHandler>();
        builder.Services.AddScoped<IAuthorizationHandler, ProjectRoleHandler>();
        builder.Services.AddAuthorizationBuilder()
            // Every endpoint needs a valid token unless it says otherwise, as MWAP's global JWT layer did.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.SuperAdmin, p => p.RequireAuthenticatedUser().AddRequirements(new SuperAdminRequirement()))
            .AddPolicy(Policies.TenantOwnerOrSuperAdminById, p => p.RequireAuthenticatedUser().AddRequirements(new TenantAccessRequirement("id")))
            .AddPolicy(Policies.TenantOwnerOrSuperAdmin, p => p.RequireAuthenticatedUser().AddRequirements(new TenantAccessRequirement("tenantId")))
            .AddPolicy(Policies.AnyTenantOwnerOrSuperAdmin, p => p.RequireAuthenticatedUser().AddRequirements(new AnyTenantOwnerRequirement()))
            .AddPolicy(Policies.ProjectMember, p => p.RequireAuthenticatedUser().AddRequirements(new ProjectRoleRequirement(Features.Projects.ProjectRoles.Member)))
            .AddPolicy(Policies.ProjectDeputy, p => p.RequireAuthenticatedUser().AddRequirements(new ProjectRoleRequirement(Features.Projects.ProjectRoles.Deputy)))
            .AddPolicy(Policies.ProjectOwner, p => p.RequireAuthenticatedUser().AddRequirements(new ProjectRoleRequirement(Features.Projects.ProjectRoles.Owner)));
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, DevSigningKey devKey)
    {
        jwt.MapInboundClaims = false;
        jwt.IncludeErrorDetails = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAudience = auth.EffectiveAudience,
            // RS256 only: "none", HS256 (key confusion) and everything else are refused before any key is tried.
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds),
            NameClaimType = "sub",
        };

        if (auth.IsDevelopmentMode)
        {
            jwt.TokenValidationParameters.ValidIssuer = auth.DevIssuer;
            jwt.TokenValidationParameters.IssuerSigningKey = devKey.Key;
        }
        else
        {
            jwt.Authority = auth.Authority;
            jwt.Audience = auth.Audience;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            // A token whose kid is unknown makes the handler refetch the JWKS (rate-limited), so issuer key rotation is picked up.
            jwt.RefreshOnIssuerKeyNotFound = true;
            jwt.AutomaticRefreshInterval = TimeSpan.FromHours(12);
            jwt.RefreshInterval = TimeSpan.FromSeconds(30);
        }

        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (string.IsNullOrEmpty(context.Principal?.FindFirst("sub")?.Value))
                {
                    context.HttpContext.Items[FailureCodeItem] = ErrorCodes.InvalidToken;
                    context.Fail("Invalid token - missing sub claim");
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var invalidToken = context.HttpContext.Items[FailureCodeItem] is string;
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null && !invalidToken
                    ? "Bearer"
                    : "Bearer error=\"invalid_token\"";
                await ErrorResponseWriter.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized,
                    invalidToken ? ErrorCodes.InvalidToken : ErrorCodes.Unauthorized,
                    invalidToken ? "Invalid token - missing sub claim" : ChallengeMessage(context.Request, context.AuthenticateFailure));
            },
        };
    }

    /// <summary>
    /// Says which of the caller's mistakes it was (no header, another scheme, not a JWT, expired, not accepted), so a
    /// client developer can fix it; nothing about keys, issuers or audiences we expect is revealed.
    /// </summary>
    internal static string ChallengeMessage(HttpRequest request, Exception? failure)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return "Missing Authorization header: send 'Authorization: Bearer <token>'";
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "Unsupported authorization scheme: send 'Authorization: Bearer <token>'";
        }

        return failure switch
        {
            null => "Malformed token: the bearer token is empty",
            SecurityTokenExpiredException => "Expired token: get a new one",
            SecurityTokenNotYetValidException => "Token not yet valid: check the client's clock",
            SecurityTokenMalformedException or ArgumentException => "Malformed token: the bearer token is not a signed JWT",
            _ => "Invalid token: it is not signed by the trusted issuer for this API",
        };
    }
}

/// <summary>Named authorization policies matching MWAP's guards (spec §3.2).</summary>
internal static class Policies
{
    public const string SuperAdmin = "SuperAdmin";

    /// <summary>Superadmin, or owner of the tenant named by the route value <c>id</c>.</summary>
    public const string TenantOwnerOrSuperAdminById = "TenantOwnerOrSuperAdmin:id";

    /// <summary>Superadmin, or owner of the tenant named by the route value <c>tenantId</c>.</summary>
    public const string TenantOwnerOrSuperAdmin = "TenantOwnerOrSuperAdmin:tenantId";

    /// <summary>Superadmin, or owner of any tenant.</summary>
    public const string AnyTenantOwnerOrSuperAdmin = "AnyTenantOwnerOrSuperAdmin";

    /// <summary>Superadmin, or a member of the project in route value <c>id</c> with at least the named role.</summary>
    public const string ProjectMember = "ProjectRole:MEMBER";
    public const string ProjectDeputy = "ProjectRole:DEPUTY";
    public const string ProjectOwner = "ProjectRole:OWNER";
}
