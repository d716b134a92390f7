using Supervision.Api.Infrastructure.Schema;
using Supervision.Api.Organization.Regions;

namespace Supervision.Api.Tests.Foundation;

/// <summary>
/// Production as deployed: a fresh database that only the files in eventstore-migrations/ have shaped, the host in
/// the Production environment (AutoCreate.None, Wolverine's pre-generated code in TypeLoadMode.Static).
/// </summary>
public sealed class ProductionDatabase : SupervisionApp
{
    private readonly string database = "sup_prod_" + Guid.NewGuid().ToString("N")[..10];

    public override string Schema => "supervision";
    protected override string EnvironmentName => "Production";
    protected override string ConnectionStringForHost => DatabaseConnectionString;
    public string DatabaseConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    public IReadOnlyList<string> AppliedFiles { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await Admin($"create database {database}");
        AppliedFiles = await MigrationFiles.ApplyAsync(ConnectionStringForHost, RepositoryPaths.Migrations);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Admin($"drop database if exists {database} with (force)");
    }

    private static async Task Admin(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class ProductionModeTests(ProductionDatabase app) : IClassFixture<ProductionDatabase>
{
    [Fact]
    public async Task Boots_on_the_migrated_schema_with_pre_generated_code_and_serves_reads_and_writes()
    {
        Assert.NotEmpty(app.AppliedFiles);
        await (await app.Anonymous().GetAsync("/health/ready")).ShouldHaveStatus(200);

        var admin = app.ClientFor("prod-admin", Roles.SystemAdmin);
        var created = await (await admin.PostJson("/api/regions", new RegisterRegion("130000", "河北省"), Guid.NewGuid().ToString())).ShouldHaveStatus(201);
        var read = await (await app.Anonymous().GetAsync(created.Headers.Location)).ShouldHaveStatus(200);
        Assert.Equal("河北省", (await read.Read<RegionView>()).Name);
        // The API documentation is off in production unless configured (Supervision:ApiDocs).
        await (await admin.GetAsync("/openapi/v1.json")).ShouldHaveStatus(404);
        await (await admin.GetAsync("/scalar")).ShouldHaveStatus(404);
    }

    /// <summary>
    /// The drift check: a model change (a new document, projection, index or Wolverine table) without a new file in
    /// eventstore-migrations/ leaves a difference here. Fix: <c>bash ops/db.sh new &lt;name&gt;</c>, review, commit.
    /// </summary>
    [Fact]
    public async Task The_migration_files_cover_the_whole_model()
    {
        var pending = await SchemaMigrations.PendingPatchAsync(app.Services);
        Assert.True(pending.Length == 0,
            "The model has changes that no file in eventstore-migrations/ covers; run 'bash ops/db.sh new <name>':\n" + pending);
    }

    [Fact]
    public async Task Applying_the_files_again_changes_nothing()
    {
        var second = await MigrationFiles.ApplyAsync(app.DatabaseConnectionString, RepositoryPaths.Migrations);
        Assert.Empty(second);
    }
}
