namespace Supervision.Api.Organization.Departments;

/// <summary>Inline snapshot of each department: the write model for commands and the read model for queries.</summary>
public sealed partial class DepartmentProjection : SingleStreamProjection<Department, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public DepartmentProjection()
    {
        IncludeType<DepartmentDeactivated>();
        IncludeType<DepartmentRegistered>();
        IncludeType<DepartmentRenamed>();
        IncludeType<DrawRecordDisclosureSet>();
    }

    public override Department? Evolve(Department? snapshot, Guid id, IEvent e) => DepartmentRules.Evolve(snapshot, e.Data);
}
