namespace Supervision.Api.Infrastructure.Auth;

/// <summary><c>token &lt;userId&gt; &lt;role[,role…]&gt; [departmentId] [display name]</c>: prints a development token.</summary>
public static class DevTokenCommand
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: token <userId> <role[,role...]> [departmentId] [display name]");
            Console.Error.WriteLine("roles: " + string.Join(", ", Roles.All));
            return 2;
        }
        var roles = args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = roles.Except(Roles.All).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown role(s): {string.Join(", ", unknown)}; known: {string.Join(", ", Roles.All)}");
            return 2;
        }
        Guid? department = null;
        if (args.Length > 2 && args[2] is { Length: > 0 } d && d != "-")
        {
            if (!Guid.TryParse(d, out var parsed))
            {
                Console.Error.WriteLine($"departmentId must be a GUID, got '{d}'");
                return 2;
            }
            department = parsed;
        }
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var auth = AuthSettings.From(configuration);
        Console.WriteLine(TokenIssuer.Issue(auth, args[0], roles, department, args.Length > 3 ? args[3] : null));
        return 0;
    }
}
