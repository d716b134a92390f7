using JasperFx;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Auth;

// `token <user> <role> [departmentId] [name]` prints a signed development token and exits (see ops/token.sh).
if (args is ["token", ..])
{
    return DevTokenCommand.Run(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSupervision();

var app = builder.Build();
app.UseSupervision();

// JasperFx commands: `codegen write`, `db-apply`, `db-patch`, `resources`, ... (see eventstore-migrations/README.md).
return await app.RunJasperFxCommands(args);

/// <summary>Entry point marker for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
