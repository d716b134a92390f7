// The namespaces most test files of this project use, imported once (as src/Supervision.Api/GlobalUsings.cs does).
global using System.Net.Http.Json;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using Marten;
global using Npgsql;
global using Supervision.Api.Tests.Harness;
global using Supervision.Domain.Directories;
global using Supervision.Domain.Kernel;
global using Supervision.Domain.Organization;
