using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// The product subset (product.json 202309): SearchProducts, GetProduct, UpdateInventory, UpdatePrice; product statuses
/// with audit failures; webhooks PRODUCT_STATUS_CHANGE (5), PRODUCT_INFORMATION_CHANGE (15) and
/// PRODUCT_AUDIT_STATUS_CHANGE (37). Extra warehouses for the shop's GetWarehouseList.
/// </summary>
public sealed partial class TikTokSimulator
{
    /// <summary>product.json UpdateInventory quantity "Valid range: [1, 99,999]".</summary>
    public const int InventoryQuantityMax = 99_999;

    internal const string MsgProductStatusNotAllowed = "The current product status does not support this operation.";

    private static readonly HashSet<string> ProductSearchStatuses = new(SimProductStatus.All.Append("ALL"), StringComparer.Ordinal);

    private readonly Dictionary<string, SimProduct> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Id, string Name)>> _warehouses = new(StringComparer.Ordinal);

    /// <summary>Adds a sales warehouse to the shop (GetWarehouseList lists it after the default one). Returns its id.</summary>
    public string AddWarehouse(string shopId, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            Shop(shopId);
            var id = _ids.Digits("70", 19);
            if (!_warehouses.TryGetValue(shopId, out var list))
            {
                list = [];
                _warehouses.Add(shopId, list);
            }

            list.Add((id, name));
            return id;
        }
    }

    private bool IsShopWarehouse(string shopId, string warehouseId) =>
        warehouseId == DefaultWarehouseId || (_warehouses.TryGetValue(shopId, out var list) && list.Any(w => w.Id == warehouseId));

    /// <summary>
    /// Creates a product with its SKUs and stock; later orders with one of these seller SKUs carry this product's
    /// sku_id and product_id. Sends no webhook.
    /// </summary>
    public SimProduct CreateProduct(string shopId, SimProductSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!SimProductStatus.All.Contains(spec.Status))
        {
            throw new ArgumentException($"Unknown product status '{spec.Status}'.", nameof(spec));
        }

        var skuSpecs = spec.Skus is { Count: > 0 } ? spec.Skus : [new SimSkuSpec { SellerSku = "SIM-SKU-1" }];
        lock (_gate)
        {
            var shop = Shop(shopId);
            var now = Now();
            var productId = _ids.ProductId();
            var skus = new List<SimSku>();
            foreach (var s in skuSpecs)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(s.SellerSku, nameof(spec));
                var stock = (s.Stock ?? new Dictionary<string, int> { [DefaultWarehouseId] = 100 })
                    .Select(kv => new SimStock(kv.Key, kv.Value))
                    .ToList();
                if (stock.Count == 0 || stock.Any(st => st.Quantity < 0 || !IsShopWarehouse(shopId, st.WarehouseId)))
                {
                    throw new ArgumentException($"SKU {s.SellerSku}: stock needs known warehouses and quantities ≥ 0.", nameof(spec));
                }

                if (s.Price <= 0)
                {
                    throw new ArgumentException($"SKU {s.SellerSku}: price must be > 0.", nameof(spec));
                }

                var sku = new SimSku { Id = _ids.SkuId(), SellerSku = s.SellerSku, SkuName = s.SkuName ?? "Default", Price = s.Price, Stock = stock };
                skus.Add(sku);
                shop.Skus[s.SellerSku] = (sku.Id, productId);
            }

            var product = new SimProduct
            {
                Id = productId,
                ShopId = shopId,
                Title = spec.Title,
                Description = spec.Description,
                Status = spec.Status,
                Currency = CurrencyOf(shop.Region),
                CreateTime = spec.CreateTime ?? now,
                UpdateTime = spec.CreateTime ?? now,
                Skus = skus,
                PassedReview = spec.Status is SimProductStatus.Activate or SimProductStatus.SellerDeactivated or SimProductStatus.PlatformDeactivated or SimProductStatus.Freeze,
            };
            _products.Add(productId, product);
            return product;
        }
    }

    public SimProduct GetProduct(string productId)
    {
        lock (_gate)
        {
            return Product(productId);
        }
    }

    public IReadOnlyList<SimProduct> GetProducts(string shopId)
    {
        lock (_gate)
        {
            Shop(shopId);
            return [.. _products.Values.Where(p => p.ShopId == shopId)];
        }
    }

    private SimProduct Product(string productId) =>
        _products.TryGetValue(productId, out var p) ? p : throw new KeyNotFoundException($"Unknown product {productId}.");

    /// <summary>
    /// Moves a product to <paramref name="status"/> (any move except out of DELETED, [INFERENCE]: the reference documents
    /// no product transition rules). FAILED takes <paramref name="auditFailures"/> (audit_failed_reasons; a default one
    /// when none). Sends PRODUCT_STATUS_CHANGE (type 5: PRODUCT_FIRST_PASS_REVIEW on the first move to ACTIVATE,
    /// PRODUCT_AUDIT_FAILURE on FAILED, PRODUCT_STATUS_CHANGED otherwise; suspended_reason for FAILED, FREEZE and
    /// PLATFORM_DEACTIVATED) and, when the audit status changes, PRODUCT_AUDIT_STATUS_CHANGE (type 37).
    /// </summary>
    public SimProduct SetProductStatus(string productId, string status, IReadOnlyList<SimAuditFailure>? auditFailures = null, string? suspendedReason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        if (!SimProductStatus.All.Contains(status))
        {
            throw new ArgumentException($"Unknown product status '{status}'.", nameof(status));
        }

        lock (_gate)
        {
            var product = Product(productId);
            if (product.Status == SimProductStatus.Deleted || product.Status == status)
            {
                throw new InvalidOperationException($"Product {productId} cannot move from {product.Status} to {status}.");
            }

            var failures = status == SimProductStatus.Failed
                ? auditFailures is { Count: > 0 } ? auditFailures : [new SimAuditFailure("Product image", ["Image is blurry"], ["Upload a clear image of at least 600 x 600 px."])]
                : [];
            var firstPass = status == SimProductStatus.Activate && !product.PassedReview;
            var updated = product with
            {
                Status = status,
                AuditFailures = failures,
                PassedReview = product.PassedReview || status == SimProductStatus.Activate,
                UpdateTime = Math.Max(Now(), product.UpdateTime + 1),
            };
            _products[productId] = updated;
            var reason = suspendedReason ?? (status switch
            {
                SimProductStatus.Failed => string.Join("; ", failures.SelectMany(f => f.Reasons)),
                SimProductStatus.Freeze or SimProductStatus.PlatformDeactivated => "Violation of platform policy",
                _ => "",
            });

            // Type 5: product_id a JSON number, as the topic page's sample shows it.
            PublishLocked(5, product.ShopId, new JsonObject
            {
                ["product_id"] = long.Parse(productId, CultureInfo.InvariantCulture),
                ["status"] = firstPass ? "PRODUCT_FIRST_PASS_REVIEW" : status == SimProductStatus.Failed ? "PRODUCT_AUDIT_FAILURE" : "PRODUCT_STATUS_CHANGED",
                ["suspended_reason"] = reason,
                ["update_time"] = updated.UpdateTime,
            });
            if (updated.AuditStatus != product.AuditStatus)
            {
                // Type 37: product_id an int per the topic page's table.
                PublishLocked(37, product.ShopId, new JsonObject
                {
                    ["product_id"] = long.Parse(productId, CultureInfo.InvariantCulture),
                    ["audit"] = new JsonObject { ["status"] = updated.AuditStatus },
                    ["update_time"] = updated.UpdateTime,
                });
            }

            return updated;
        }
    }

    /// <summary>
    /// A change to a live product takes effect: only for ACTIVATE products (the topic's prerequisite "The product is live").
    /// Sends PRODUCT_INFORMATION_CHANGE (type 15: product_id string, change_source SELLER_CENTER|OPEN_API, changed_fields).
    /// </summary>
    public SimProduct ChangeProductInformation(string productId, string? title = null, IReadOnlyList<string>? changedFields = null, string changeSource = "SELLER_CENTER")
    {
        if (changeSource is not ("SELLER_CENTER" or "OPEN_API"))
        {
            throw new ArgumentException("change_source is SELLER_CENTER or OPEN_API.", nameof(changeSource));
        }

        lock (_gate)
        {
            var product = Product(productId);
            if (product.Status != SimProductStatus.Activate)
            {
                throw new InvalidOperationException($"Product {productId} is {product.Status}; PRODUCT_INFORMATION_CHANGE is for live products.");
            }

            var fields = changedFields is { Count: > 0 } ? changedFields : title is not null ? ["title"] : ["others"];
            var updated = product with { Title = title ?? product.Title, UpdateTime = Math.Max(Now(), product.UpdateTime + 1) };
            _products[productId] = updated;
            var array = new JsonArray();
            foreach (var field in fields)
            {
                array.Add(field);
            }

            PublishLocked(15, product.ShopId, new JsonObject
            {
                ["product_id"] = productId,
                ["change_source"] = changeSource,
                ["changed_fields"] = array,
                ["update_time"] = updated.UpdateTime,
            });
            return updated;
        }
    }
}
