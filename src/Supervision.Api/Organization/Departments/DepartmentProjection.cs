using JasperFx.Events;
using Marten.Events.Aggregation;
using Supervision.Domain.Organization;

namespace Supervision.Api.Organization.Departments;

/// <summary>Inline snapshot of each department: the write model for commands and the read model for queries.</summary>
public sealed partial class DepartmentProjection : SingleStreamProjection<Department, Guid>
{
    public override Department? Evolve(Department? snapshot, Guid id, IEvent e) => DepartmentRules.Evolve(snapshot, e.Data);
}
