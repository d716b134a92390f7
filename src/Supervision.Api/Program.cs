using JasperFx;
using Supervision.Api.Infrastructure.Schema;

// `token <user> <role> [departmentId] [name]` prints a signed development token and exits (see ops/token.sh).
if (args is ["token", ..])
{
    return DevTokenCommand.Run(args[1..]);
}

// `schema-apply <directory>` applies the reviewed migration files to the configured database (see ops/db.sh).
if (args is ["schema-apply", var migrationsDirectory])
{
    var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
    var applied = await MigrationFiles.ApplyAsync(SupervisionSettings.From(configuration).ConnectionString, migrationsDirectory);
    Console.Error.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied: {string.Join(", ", applied)}");
    return 0;
}

// `integrity-seal` / `integrity-verify [sequence hash]` seal or verify the event chain of the configured database (see ops/integrity.sh).
if (args is ["integrity-seal" or "integrity-verify", ..])
{
    var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
    var chain = new Supervision.Api.Integrity.EventChain(SupervisionSettings.From(configuration));
    if (args[0] == "integrity-seal")
    {
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(await chain.SealAsync(CancellationToken.None)));
        return 0;
    }
    var external = args is [_, var seq, var hash] ? new Supervision.Api.Integrity.ChainCheckpoint(long.Parse(seq, System.Globalization.CultureInfo.InvariantCulture), hash, default, 0) : null;
    var verdict = await chain.VerifyAsync(CancellationToken.None, external);
    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(verdict));
    return verdict.Intact ? 0 : 3;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSupervision();

var app = builder.Build();
app.UseSupervision();

// `schema-patch <file>` writes the SQL that brings the configured database to the model (see ops/db.sh).
if (args is ["schema-patch", var patchFile])
{
    return await SchemaMigrations.RunPatchCommandAsync(app, patchFile);
}

// JasperFx commands: `codegen write`, `db-apply`, `db-patch`, `resources`, ... (see eventstore-migrations/README.md).
return await app.RunJasperFxCommands(args);

/// <summary>Entry point marker for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
