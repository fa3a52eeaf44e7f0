using System.ComponentModel.DataAnnotations;

namespace Connector.State;

/// <summary>Settings <c>State__*</c>.</summary>
public sealed class StateOptions
{
    public const string Section = "State";

    /// <summary>Prefix of every table name, so several deployments (or test runs) can share one storage account.</summary>
    [RegularExpression("^([A-Za-z][A-Za-z0-9]{0,20})?$")]
    public string TablePrefix { get; set; } = "";
}
