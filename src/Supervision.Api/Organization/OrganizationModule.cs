using Supervision.Api.Organization.Departments;
using Supervision.Api.Organization.Regions;

namespace Supervision.Api.Organization;

/// <summary>Marten registrations of the organization slice: regions and departments, each an inline snapshot.</summary>
public sealed class OrganizationModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<RegionProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<DepartmentProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Domain.Organization.Region>().UniqueIndex(r => r.Code).Index(r => r.ParentCode!);
        options.Schema.For<Domain.Organization.Department>().UniqueIndex(d => d.Code).Index(d => d.RegionCode);
    }
}
