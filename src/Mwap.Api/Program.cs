using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.OAuth;
using Mwap.Api.Features.Members;
using Mwap.Api.Features.Notifications;
using Mwap.Api.Features.Operations;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.ProjectTypes;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Features.Usage;
using Mwap.Api.Features.Users;
using Mwap.Api.Features.WebConsole;
using Mwap.Api.Features.Webhooks;
using Mwap.Api.Infrastructure;
using Mwap.Api.Infrastructure.Caching;
using Mwap.Api.Infrastructure.Cli;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Jobs;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

var commandLine = CliCommandLine.Parse(args, CliVerbs.All);
if (commandLine.Help)
{
    Console.Out.WriteLine(CliCommandLine.UsageText(CliVerbs.All));
    return 0;
}

if (commandLine.Error is not null)
{
    return CliCommandLine.WriteError(commandLine.Error, CliVerbs.All);
}

var verb = commandLine.Invocation;
DefaultEnvironment.Apply();
var builder = WebApplication.CreateBuilder(commandLine.HostArgs);

builder.AddObservability(commandLine: verb is not null);
builder.AddTelemetry();
builder.AddPersistence();
builder.AddMwapAuthentication();
builder.AddRedis();
builder.AddHttpPipeline();
builder.AddJobs();
builder.AddConsole();

builder.Services.AddAuditLogFeature();
builder.Services.AddTenantsFeature();
builder.Services.AddProjectTypesFeature();
builder.Services.AddCloudProvidersFeature();
builder.Services.AddIntegrationsFeature(builder.Configuration);
builder.Services.AddProjectsFeature();
builder.Services.AddFilesFeature();
builder.Services.AddOperationsFeature();
builder.Services.AddUsageFeature();
builder.Services.AddNotificationsFeature();
builder.Services.AddWebhooksFeature();

var app = builder.Build();
if (verb is not null)
{
    return await CliVerbs.RunAsync(app, verb);
}

if (!StartupValidation.Check(app))
{
    return 1;
}

app.UseMwapPipeline();
app.MapHealthEndpoints();
app.MapDocsAndWellKnown();
app.MapMetricsEndpoint();
app.MapJobsDashboard();
app.MapConsoleFallback();

var api = app.MapApiGroup();
api.MapUsersEndpoints();
api.MapTenantsEndpoints();
api.MapIntegrationsEndpoints();
api.MapIntegrationOperationsEndpoints();
api.MapOAuthEndpoints(app);
api.MapOAuthSecurityEndpoints();
api.MapProjectTypesEndpoints();
api.MapCloudProvidersEndpoints();
api.MapProjectsEndpoints();
api.MapMembersEndpoints();
api.MapFilesEndpoints();
api.MapAuditLogEndpoints();
api.MapWebhooksEndpoints();
api.MapOperationsEndpoints();
api.MapUsageEndpoints();
api.MapNotificationsEndpoints();
api.MapConsoleEndpoints(app);
api.MapApiNotFound();

await app.RunAsync();
return 0;
