using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// The product Open API subset (product.json 202309): SearchProducts, GetProduct, UpdateInventory and UpdatePrice, with
/// the request checks the OAS descriptions give (ranges, statuses, SKUs of the product, warehouses of the SKU).
/// </summary>
public sealed partial class TikTokSimulator
{
    // ---------------------------------------------------------------- POST /product/202309/products/search

    private async Task<ApiResult> SearchProductsAsync(ApiCall call, CancellationToken cancellationToken)
    {
        int pageSize, offset;
        string? status;
        List<string>? sellerSkus;
        long? createGe, createLe, updateGe, updateLe;
        var filterKey = Encoding.UTF8.GetString(call.Body);
        try
        {
            var body = ObjectBody(call.Body);
            status = EnumString(body, "status", ProductSearchStatuses);
            sellerSkus = StringArray(body, "seller_skus");
            createGe = Int64(body, "create_time_ge");
            createLe = Int64(body, "create_time_le");
            updateGe = Int64(body, "update_time_ge");
            updateLe = Int64(body, "update_time_le");
            var version = call.Query.GetValueOrDefault("category_version");
            if (version is { Length: > 0 } and not ("v1" or "v2"))
            {
                throw new ParamException("param category_version is invalid, possible values: v1, v2");
            }

            // OAS: page_size required, "Valid range: [1-100]".
            (pageSize, offset) = Paging(call, 1, 100, null, "products", filterKey);
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            var matches = _products.Values
                .Where(p => p.ShopId == call.Shop.ShopId)
                .Where(p => status is null or "ALL" || p.Status == status)
                .Where(p => sellerSkus is not { Count: > 0 } || p.Skus.Any(s => sellerSkus.Contains(s.SellerSku)))
                .Where(p => (createGe is null || p.CreateTime >= createGe) && (createLe is null || p.CreateTime <= createLe))
                .Where(p => (updateGe is null || p.UpdateTime >= updateGe) && (updateLe is null || p.UpdateTime <= updateLe))
                .ToList();
            var products = new JsonArray();
            foreach (var p in matches.Skip(offset).Take(pageSize))
            {
                var skus = new JsonArray();
                foreach (var s in p.Skus)
                {
                    skus.Add(new JsonObject
                    {
                        ["id"] = s.Id,
                        ["inventory"] = StockJson(s),
                        ["price"] = new JsonObject { ["currency"] = p.Currency, ["tax_exclusive_price"] = SimOrder.Money(s.Price) },
                        ["seller_sku"] = s.SellerSku,
                    });
                }

                products.Add(new JsonObject
                {
                    ["create_time"] = p.CreateTime,
                    ["id"] = p.Id,
                    ["sales_regions"] = new JsonArray(call.Shop.Region),
                    ["skus"] = skus,
                    ["status"] = p.Status,
                    ["title"] = p.Title,
                    ["update_time"] = p.UpdateTime,
                });
            }

            var next = offset + pageSize;
            return ApiResult.Ok(new JsonObject
            {
                ["next_page_token"] = next < matches.Count ? WriteListToken("products", filterKey, next) : "",
                ["products"] = products,
                ["total_count"] = matches.Count,
            });
        }
    }

    private static JsonArray StockJson(SimSku sku)
    {
        var inventory = new JsonArray();
        foreach (var stock in sku.Stock)
        {
            inventory.Add(new JsonObject { ["quantity"] = stock.Quantity, ["warehouse_id"] = stock.WarehouseId });
        }

        return inventory;
    }

    // ---------------------------------------------------------------- GET /product/202309/products/{product_id}

    /// <summary>OAS: "Retrieve all properties of a product, except those in the FREEZE or DELETED status."</summary>
    private async Task<ApiResult> GetProductAsync(ApiCall call, CancellationToken cancellationToken)
    {
        foreach (var flag in new[] { "return_under_review_version", "return_draft_version" })
        {
            if (call.Query.GetValueOrDefault(flag) is { Length: > 0 } value && value is not ("true" or "false"))
            {
                return Error(400, 36009004, $"param {flag} type invalid,actual type is:string,expected type is:bool");
            }
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            if (OwnProduct(call) is not { } p)
            {
                return Error(400, 36009004, "param product_id is invalid");
            }

            if (p.Status is SimProductStatus.Freeze or SimProductStatus.Deleted)
            {
                return new ApiResult(200, StatusNotAllowedCode, MsgProductStatusNotAllowed, new JsonObject());
            }

            var skus = new JsonArray();
            foreach (var s in p.Skus)
            {
                skus.Add(new JsonObject
                {
                    ["id"] = s.Id,
                    ["inventory"] = StockJson(s),
                    ["price"] = new JsonObject
                    {
                        ["currency"] = p.Currency,
                        ["sale_price"] = SimOrder.Money(s.Price),
                        ["tax_exclusive_price"] = SimOrder.Money(s.Price),
                    },
                    ["sales_attributes"] = new JsonArray(new JsonObject { ["id"] = "100000", ["name"] = "Variant", ["value_id"] = "7000" + s.Id[^6..], ["value_name"] = s.SkuName }),
                    ["seller_sku"] = s.SellerSku,
                    ["status_info"] = new JsonObject { ["status"] = "NORMAL" },
                });
            }

            var failures = new JsonArray();
            foreach (var f in p.AuditFailures)
            {
                failures.Add(new JsonObject
                {
                    ["listing_platform"] = "TIKTOK_SHOP",
                    ["position"] = f.Position,
                    ["reasons"] = new JsonArray([.. f.Reasons.Select(r => (JsonNode?)r)]),
                    ["suggestions"] = new JsonArray([.. f.Suggestions.Select(r => (JsonNode?)r)]),
                });
            }

            return ApiResult.Ok(new JsonObject
            {
                ["audit"] = new JsonObject { ["pre_approved_reasons"] = new JsonArray(), ["status"] = p.AuditStatus },
                ["audit_failed_reasons"] = failures,
                ["create_time"] = p.CreateTime,
                ["description"] = p.Description,
                ["has_draft"] = false,
                ["id"] = p.Id,
                ["is_cod_allowed"] = false,
                ["main_images"] = new JsonArray(new JsonObject
                {
                    ["height"] = 600,
                    ["uri"] = "tos-maliva-i-o3syd03w52-us/" + p.Id,
                    ["urls"] = new JsonArray($"https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/{p.Id}~tplv-o3syd03w52-origin-jpeg.jpeg"),
                    ["width"] = 600,
                }),
                ["product_status"] = p.Status is SimProductStatus.Pending or SimProductStatus.Failed ? "INITIAL" : p.Status,
                ["skus"] = skus,
                ["status"] = p.Status,
                ["title"] = p.Title,
                ["update_time"] = p.UpdateTime,
            });
        }
    }

    private SimProduct? OwnProduct(ApiCall call) =>
        _products.TryGetValue(call.Route["product_id"], out var p) && p.ShopId == call.Shop.ShopId ? p : null;

    // ---------------------------------------------------------------- POST /product/202309/products/{product_id}/inventory/update

    private sealed record InventoryLine(string? WarehouseId, int Quantity, string Path);

    /// <summary>
    /// UpdateInventory (OAS): skus[] {id, inventory[] {warehouse_id, quantity}}; quantity in [1, 99,999]
    /// (<see cref="TikTokSimulatorOptions.InventoryQuantityMin"/>); every SKU of this product ("all the SKU IDs must belong to
    /// the same product"); "You must include all warehouse IDs assigned to this SKU ... Do not omit any or add unrelated
    /// warehouses" (warehouse_id optional when the SKU has one warehouse); not for FREEZE or DELETED products. All or nothing.
    /// </summary>
    private async Task<ApiResult> UpdateInventoryAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var updates = new List<(string SkuId, string Path, List<InventoryLine> Lines)>();
        try
        {
            var body = ObjectBody(call.Body);
            foreach (var (sku, i) in ObjectArray(body, "skus", "skus"))
            {
                var path = $"skus[{i}]";
                var id = RequiredString(sku, "id");
                var lines = new List<InventoryLine>();
                foreach (var (inv, j) in ObjectArray(sku, "inventory", $"{path}.inventory"))
                {
                    var linePath = $"{path}.inventory[{j}]";
                    var warehouseId = String(inv, "warehouse_id");
                    var quantity = Int64(inv, "quantity") ?? throw new ParamException($"param body.{linePath}.quantity is missing");
                    if (quantity < _options.InventoryQuantityMin || quantity > InventoryQuantityMax)
                    {
                        throw new ParamException($"param {linePath}.quantity is invalid, valid range: [{_options.InventoryQuantityMin}, {InventoryQuantityMax}]");
                    }

                    Int64(inv, "backorder_quantity");
                    Int64(inv, "handling_time");
                    lines.Add(new InventoryLine(warehouseId, (int)quantity, linePath));
                }

                updates.Add((id, path, lines));
            }
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            if (OwnProduct(call) is not { } p)
            {
                return Error(400, 36009004, "param product_id is invalid");
            }

            if (p.Status is SimProductStatus.Freeze or SimProductStatus.Deleted)
            {
                return new ApiResult(200, StatusNotAllowedCode, MsgProductStatusNotAllowed, new JsonObject());
            }

            var skus = p.Skus.ToDictionary(s => s.Id, StringComparer.Ordinal);
            var newStock = new Dictionary<string, List<SimStock>>(StringComparer.Ordinal);
            foreach (var (skuId, path, lines) in updates)
            {
                if (!skus.TryGetValue(skuId, out var sku) || newStock.ContainsKey(skuId))
                {
                    return Error(400, 36009004, $"param {path}.id is invalid");
                }

                var assigned = sku.Stock.Select(s => s.WarehouseId).ToList();
                var stock = new List<SimStock>();
                foreach (var line in lines)
                {
                    var warehouseId = line.WarehouseId ?? (assigned.Count == 1 ? assigned[0] : null);
                    if (warehouseId is null)
                    {
                        return Error(400, 36009004, $"param body.{line.Path}.warehouse_id is missing");
                    }

                    if (!assigned.Contains(warehouseId) || stock.Any(s => s.WarehouseId == warehouseId))
                    {
                        return Error(400, 36009004, $"param {line.Path}.warehouse_id is invalid");
                    }

                    stock.Add(new SimStock(warehouseId, line.Quantity));
                }

                if (stock.Count != assigned.Count)
                {
                    return Error(400, 36009004, $"param {path}.inventory is invalid, every warehouse of the SKU is required");
                }

                newStock[skuId] = [.. assigned.Select(w => stock.First(s => s.WarehouseId == w))];
            }

            _products[p.Id] = p with
            {
                Skus = [.. p.Skus.Select(s => newStock.TryGetValue(s.Id, out var st) ? s with { Stock = st } : s)],
                UpdateTime = Math.Max(Now(), p.UpdateTime + 1),
            };
            return ApiResult.Ok(new JsonObject());
        }
    }

    // ---------------------------------------------------------------- POST /product/202309/products/{product_id}/prices/update

    /// <summary>
    /// UpdatePrice (OAS): skus[] {id, price {amount, currency}}; "The SKU ID must belong to a product with the ACTIVATE
    /// status"; currency the shop's; amount a positive decimal string with at most 2 decimals [INFERENCE]; list_price
    /// amount "Valid range: [0.01, 7600]". All or nothing; data is always empty.
    /// </summary>
    private async Task<ApiResult> UpdatePriceAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var updates = new List<(string SkuId, string Path, decimal Amount, string Currency)>();
        try
        {
            var body = ObjectBody(call.Body);
            foreach (var (sku, i) in ObjectArray(body, "skus", "skus"))
            {
                var path = $"skus[{i}]";
                var id = RequiredString(sku, "id");
                var price = RequiredObject(sku, "price", $"{path}.price");
                var amount = Amount(RequiredString(price, "amount"), $"{path}.price.amount", 0.01m, null);
                var currency = RequiredString(price, "currency");
                String(price, "sale_price");
                if (sku.TryGetProperty("list_price", out var list) && list.ValueKind == JsonValueKind.Object && String(list, "amount") is { } listAmount)
                {
                    Amount(listAmount, $"{path}.list_price.amount", 0.01m, 7600m);
                }

                updates.Add((id, path, amount, currency));
            }
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            if (OwnProduct(call) is not { } p)
            {
                return Error(400, 36009004, "param product_id is invalid");
            }

            if (p.Status != SimProductStatus.Activate)
            {
                return new ApiResult(200, StatusNotAllowedCode, MsgProductStatusNotAllowed, new JsonObject());
            }

            var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var (skuId, path, amount, currency) in updates)
            {
                if (!p.Skus.Any(s => s.Id == skuId) || prices.ContainsKey(skuId))
                {
                    return Error(400, 36009004, $"param {path}.id is invalid");
                }

                if (currency != p.Currency)
                {
                    return Error(400, 36009004, $"param {path}.price.currency is invalid");
                }

                prices[skuId] = amount;
            }

            _products[p.Id] = p with
            {
                Skus = [.. p.Skus.Select(s => prices.TryGetValue(s.Id, out var price) ? s with { Price = price } : s)],
                UpdateTime = Math.Max(Now(), p.UpdateTime + 1),
            };
            return ApiResult.Ok(new JsonObject());
        }
    }

    /// <summary>A required, non-empty array of objects, with each element's index.</summary>
    private static List<(JsonElement Item, int Index)> ObjectArray(JsonElement body, string name, string path)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new ParamException($"param body.{path} is missing");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ParamException($"param {name} type invalid,actual type is:{TypeName(value)},expected type is:[]object");
        }

        if (value.GetArrayLength() == 0)
        {
            throw new ParamException($"param body.{path} is missing");
        }

        var items = new List<(JsonElement Item, int Index)>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ParamException($"param {name} type invalid,actual type is:{TypeName(item)},expected type is:object");
            }

            items.Add((item, i++));
        }

        return items;
    }

    private static JsonElement RequiredObject(JsonElement body, string name, string path)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new ParamException($"param body.{path} is missing");
        }

        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new ParamException($"param {name} type invalid,actual type is:{TypeName(value)},expected type is:object");
    }

    private static decimal Amount(string text, string path, decimal min, decimal? max)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount.Scale > 2 ||
            amount < min || (max is { } m && amount > m))
        {
            throw new ParamException($"param {path} is invalid");
        }

        return amount;
    }
}
