// The namespaces most test files of this project use, imported once (as src/Supervision.Api/GlobalUsings.cs does).
global using Supervision.Domain.Directories;
global using Supervision.Domain.Kernel;
global using Supervision.Domain.Organization;
global using Supervision.Domain.Tests.Testing;
