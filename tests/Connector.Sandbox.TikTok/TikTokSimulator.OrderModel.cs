namespace Connector.Sandbox.TikTok;

public sealed partial class TikTokSimulator
{
    private SimOrder CreateOrderLocked(ShopState shop, SimOrderSpec spec)
    {
        if (!TikTokOrderStatus.IsKnown(spec.Status))
        {
            throw new ArgumentException($"Unknown order status '{spec.Status}' (§5.1).", nameof(spec));
        }

        if (spec.ShippingType is not ("TIKTOK" or "SELLER"))
        {
            throw new ArgumentException("ShippingType must be TIKTOK or SELLER (§4.2).", nameof(spec));
        }

        var id = spec.OrderId ?? _ids.OrderId();
        if (_orders.ContainsKey(id))
        {
            throw new InvalidOperationException($"Order {id} already exists.");
        }

        var now = Now();
        var createTime = spec.CreateTime ?? now;
        var currency = spec.Currency ?? CurrencyOf(shop.Region);
        var lineSpecs = spec.Lines is { Count: > 0 } ? spec.Lines : [new SimLineSpec { SellerSku = "SIM-SKU-1" }];
        var lines = new List<SimLineItem>();
        foreach (var lineSpec in lineSpecs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(lineSpec.SellerSku, nameof(spec));
            if (lineSpec.Quantity < 1 || lineSpec.SalePrice < 0)
            {
                throw new ArgumentException($"Line {lineSpec.SellerSku}: quantity must be ≥ 1 and price ≥ 0.", nameof(spec));
            }

            if (!shop.Skus.TryGetValue(lineSpec.SellerSku, out var known))
            {
                known = (_ids.SkuId(), _ids.ProductId());
                shop.Skus.Add(lineSpec.SellerSku, known);
            }

            var original = lineSpec.OriginalPrice ?? lineSpec.SalePrice;
            var productName = lineSpec.ProductName ?? $"Product {lineSpec.SellerSku}";
            for (var unit = 0; unit < lineSpec.Quantity; unit++)
            {
                lines.Add(new SimLineItem
                {
                    Id = _ids.LineItemId(),
                    SkuId = lineSpec.SkuId ?? known.SkuId,
                    ProductId = lineSpec.ProductId ?? known.ProductId,
                    SellerSku = lineSpec.SellerSku,
                    ProductName = productName,
                    SkuName = lineSpec.SkuName ?? "Default",
                    SkuImage = $"https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/{lineSpec.SkuId ?? known.SkuId}~tplv-o3syd03w52-origin-jpeg.jpeg",
                    SalePrice = lineSpec.SalePrice,
                    OriginalPrice = original,
                    SellerDiscount = original - lineSpec.SalePrice,
                    TaxRate = spec.TaxRate,
                    TaxAmount = Round(lineSpec.SalePrice * spec.TaxRate),
                    DisplayStatus = TikTokOrderStatus.Unpaid,
                });
            }
        }

        // The default address is fixed (Culver City, CA) so tests can assert on it.
        var address = spec.Address ?? new SimAddressSpec();
        var order = new SimOrder
        {
            Id = id,
            ShopId = shop.ShopId,
            Status = TikTokOrderStatus.Unpaid,
            CreateTime = createTime,
            UpdateTime = createTime,
            Currency = currency,
            ShippingType = spec.ShippingType,
            FulfillmentType = spec.FulfillmentType,
            DeliveryOptionId = DefaultDeliveryOptionId,
            UserId = spec.BuyerUserId ?? _ids.UserId(),
            BuyerEmail = _ids.UpperAlphanumeric(27) + "@scs2.tiktok.com",
            BuyerMessage = spec.BuyerMessage,
            WarehouseId = spec.WarehouseId ?? DefaultWarehouseId,
            RecipientAddress = SimAddress.From(address, spec.BuyerName),
            LineItems = lines,
            Payment = PaymentOf(lines, currency, spec.ShippingFee, spec.TaxRate),
        };

        // An order created in a later status is built as if it had walked the shortest §5.4 path at create_time.
        foreach (var step in TikTokOrderStatus.PathTo(TikTokOrderStatus.Unpaid, spec.Status) ?? [])
        {
            order = ApplyStatus(order, step, createTime, null, null);
        }

        _orders.Add(id, order);
        _shopOrderIds[shop.ShopId].Add(id);
        PublishStatusChange(order);
        return order;
    }

    private static string CurrencyOf(string region) => region switch
    {
        "GB" => "GBP",
        "DE" or "FR" or "ES" or "IT" or "IE" => "EUR",
        "JP" => "JPY",
        "MX" => "MXN",
        _ => "USD",
    };

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static SimPayment PaymentOf(IReadOnlyList<SimLineItem> lines, string currency, decimal shippingFee, decimal taxRate)
    {
        var original = lines.Sum(l => l.OriginalPrice);
        var sellerDiscount = lines.Sum(l => l.SellerDiscount);
        var platformDiscount = lines.Sum(l => l.PlatformDiscount);
        var subTotal = original - sellerDiscount - platformDiscount;
        var productTax = lines.Sum(l => l.TaxAmount);
        var shippingTax = Round(shippingFee * taxRate);
        var tax = productTax + shippingTax;
        return new SimPayment
        {
            Currency = currency,
            OriginalTotalProductPrice = original,
            SellerDiscount = sellerDiscount,
            PlatformDiscount = platformDiscount,
            SubTotal = subTotal,
            OriginalShippingFee = shippingFee,
            ShippingFeeSellerDiscount = 0,
            ShippingFeePlatformDiscount = 0,
            ShippingFee = shippingFee,
            ProductTax = productTax,
            ShippingFeeTax = shippingTax,
            Tax = tax,
            RetailDeliveryFee = 0,
            TotalAmount = subTotal + shippingFee + tax,
        };
    }

    /// <summary>
    /// The fields a §5.4 status change sets (payment, packages, tracking, deadlines, cancellation). With
    /// <paramref name="autoShip"/> the shipping statuses put unshipped lines into a new package themselves (control plane);
    /// without it the caller has already shipped the lines it meant to (MarkPackageAsShipped).
    /// </summary>
    private SimOrder ApplyStatus(SimOrder order, string status, long at, string? initiator, string? reason, bool autoShip = true)
    {
        var lines = order.LineItems.ToList();
        var packages = order.PackageIds.ToList();
        var result = order with { Status = status };

        switch (status)
        {
            case TikTokOrderStatus.OnHold:
                result = result with { PaidTime = order.PaidTime ?? at, IsOnHoldOrder = true };
                break;
            case TikTokOrderStatus.AwaitingShipment:
                result = result with { PaidTime = order.PaidTime ?? at };
                break;
            case TikTokOrderStatus.PartiallyShipping when autoShip:
            {
                var unshipped = lines.Where(l => l.PackageId is null && l.CancelUser is null).ToList();
                var count = unshipped.Count > 1 ? unshipped.Count / 2 : 0;
                result = Ship(result, lines, packages, unshipped.Take(count).Select(l => l.Id).ToHashSet(StringComparer.Ordinal), at);
                break;
            }

            case TikTokOrderStatus.AwaitingCollection:
            case TikTokOrderStatus.InTransit:
            {
                var unshipped = lines.Where(l => l.PackageId is null && l.CancelUser is null).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
                result = autoShip ? Ship(result, lines, packages, unshipped, at) : result;
                if (status == TikTokOrderStatus.InTransit)
                {
                    result = result with { CollectionTime = at };
                }

                break;
            }

            case TikTokOrderStatus.Delivered:
                result = result with { DeliveryTime = at };
                break;
            case TikTokOrderStatus.Cancelled:
            {
                var who = initiator ?? (order.Status == TikTokOrderStatus.Unpaid ? "SYSTEM" : "BUYER");
                var text = reason ?? who switch
                {
                    "SYSTEM" => order.Status == TikTokOrderStatus.Unpaid ? "Payment overdue" : "Package lost",
                    "SELLER" => "Out of stock",
                    _ => "No longer needed",
                };
                result = result with { CancelTime = at, CancellationInitiator = who, CancelReason = text };
                for (var i = 0; i < lines.Count; i++)
                {
                    lines[i] = lines[i] with { CancelUser = lines[i].CancelUser ?? who, CancelReason = lines[i].CancelReason ?? text };
                }

                break;
            }

            default:
                break;
        }

        // Line display_status and package_status follow the order status (§4.4, §5.3).
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var shipped = line.PackageId is not null;
            var display = status switch
            {
                _ when line.CancelUser is not null => TikTokOrderStatus.Cancelled,
                TikTokOrderStatus.PartiallyShipping when shipped => TikTokOrderStatus.AwaitingCollection,
                _ => TikTokOrderStatus.LineDisplayStatus(status),
            };
            var packageStatus = !shipped ? null : status switch
            {
                TikTokOrderStatus.PartiallyShipping or TikTokOrderStatus.AwaitingCollection => "PROCESSING",
                TikTokOrderStatus.InTransit => "FULFILLING",
                TikTokOrderStatus.Delivered or TikTokOrderStatus.Completed => "COMPLETED",
                TikTokOrderStatus.Cancelled => "CANCELLED",
                _ => line.PackageStatus,
            };
            lines[i] = line with { DisplayStatus = display, PackageStatus = packageStatus };
        }

        return result with { LineItems = lines, PackageIds = packages };
    }

    /// <summary>
    /// Puts the given lines into one new package with a tracking number (§6.1 simulation rules); a generated tracking
    /// number and the default provider unless given.
    /// </summary>
    private SimOrder Ship(SimOrder order, List<SimLineItem> lines, List<string> packages, HashSet<string> lineIds, long at,
        string? trackingNumber = null, ShippingProvider? provider = null)
    {
        if (lineIds.Count == 0)
        {
            return order;
        }

        var packageId = _ids.PackageId();
        var tracking = trackingNumber ?? _ids.TrackingNumber();
        var (providerId, providerName) = provider ?? (order.ShippingType == "TIKTOK" ? TikTokVirtualExpress : ShippingProviders[0]);
        packages.Add(packageId);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lineIds.Contains(lines[i].Id))
            {
                lines[i] = lines[i] with
                {
                    PackageId = packageId,
                    TrackingNumber = tracking,
                    ShippingProviderId = providerId,
                    ShippingProviderName = providerName,
                    RtsTime = at,
                };
            }
        }

        return order with
        {
            RtsTime = order.RtsTime ?? at,
            TrackingNumber = tracking,
            ShippingProvider = providerName,
            ShippingProviderId = providerId,
        };
    }
}
