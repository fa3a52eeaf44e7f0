namespace Connector.Sandbox.TikTok;

/// <summary>A product to create through the control plane (see <see cref="TikTokSimulator.CreateProduct"/>).</summary>
public sealed record SimProductSpec
{
    public string Title { get; init; } = "Sandbox product";

    public string Description { get; init; } = "<p>Sandbox product</p>";

    /// <summary>product.json status: DRAFT, PENDING, FAILED, ACTIVATE, SELLER_DEACTIVATED, PLATFORM_DEACTIVATED, FREEZE, DELETED.</summary>
    public string Status { get; init; } = SimProductStatus.Activate;

    /// <summary>At least one SKU; null = one SKU "SIM-SKU-1".</summary>
    public IReadOnlyList<SimSkuSpec>? Skus { get; init; }

    public long? CreateTime { get; init; }
}

public sealed record SimSkuSpec
{
    public required string SellerSku { get; init; }

    public decimal Price { get; init; } = 19.99m;

    public string? SkuName { get; init; }

    /// <summary>Warehouse id → in-stock quantity; null = 100 in <see cref="TikTokSimulator.DefaultWarehouseId"/>. Warehouses must exist for the shop.</summary>
    public IReadOnlyDictionary<string, int>? Stock { get; init; }
}

public sealed record SimProduct
{
    public required string Id { get; init; }
    public required string ShopId { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string Status { get; init; }
    public required string Currency { get; init; }
    public required long CreateTime { get; init; }
    public required long UpdateTime { get; init; }
    public required IReadOnlyList<SimSku> Skus { get; init; }

    /// <summary>audit_failed_reasons while the product is FAILED.</summary>
    public IReadOnlyList<SimAuditFailure> AuditFailures { get; init; } = [];

    /// <summary>True once the product has passed its first audit (PRODUCT_FIRST_PASS_REVIEW is sent once).</summary>
    public bool PassedReview { get; init; }

    /// <summary>GetProduct audit.status derived from <see cref="Status"/>: PENDING → AUDITING, FAILED → FAILED, ACTIVATE → APPROVED, else NONE.</summary>
    public string AuditStatus => Status switch
    {
        SimProductStatus.Pending => "AUDITING",
        SimProductStatus.Failed => "FAILED",
        SimProductStatus.Activate => "APPROVED",
        _ => "NONE",
    };
}

public sealed record SimSku
{
    public required string Id { get; init; }
    public required string SellerSku { get; init; }
    public required string SkuName { get; init; }
    public required decimal Price { get; init; }

    /// <summary>Warehouse id → in-stock quantity, in the order the warehouses were assigned.</summary>
    public required IReadOnlyList<SimStock> Stock { get; init; }
}

public sealed record SimStock(string WarehouseId, int Quantity);

/// <summary>One audit_failed_reasons entry (GetProduct): position, reasons, suggestions.</summary>
public sealed record SimAuditFailure(string Position, IReadOnlyList<string> Reasons, IReadOnlyList<string> Suggestions);

/// <summary>product.json product statuses.</summary>
public static class SimProductStatus
{
    public const string Draft = "DRAFT";
    public const string Pending = "PENDING";
    public const string Failed = "FAILED";
    public const string Activate = "ACTIVATE";
    public const string SellerDeactivated = "SELLER_DEACTIVATED";
    public const string PlatformDeactivated = "PLATFORM_DEACTIVATED";
    public const string Freeze = "FREEZE";
    public const string Deleted = "DELETED";

    public static IReadOnlyList<string> All { get; } = [Draft, Pending, Failed, Activate, SellerDeactivated, PlatformDeactivated, Freeze, Deleted];
}
