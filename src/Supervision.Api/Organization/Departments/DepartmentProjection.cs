namespace Supervision.Api.Organization.Departments;

/// <summary>Inline snapshot of each department: the write model for commands and the read model for queries.</summary>
public sealed partial class DepartmentProjection : SingleStreamProjection<Department, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public DepartmentProjection()
    {
        foreach (var type in DepartmentRules.EventTypes) IncludeType(type);
    }

    public override Department? Evolve(Department? snapshot, Guid id, IEvent e) => DepartmentRules.Evolve(snapshot, e.Data);
}
