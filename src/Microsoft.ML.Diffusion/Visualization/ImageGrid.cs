using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Tiles equally sized images into one image, row by row, for looking at many samples at once
/// (like torchvision's <c>make_grid</c>). Save the result with <see cref="MLImage.Save"/>.
/// </summary>
/// <example>
/// <code>ImageGrid.Create(model.Transform(seeds), "GeneratedImage", columns: 8).Save("samples.png");</code>
/// </example>
public static class ImageGrid
{
    /// <summary>Reads the images of column <paramref name="imageColumnName"/> in row order and tiles them.</summary>
    /// <param name="data">The rows; the view is read once, with one cursor.</param>
    /// <param name="imageColumnName">An image (<see cref="MLImage"/>) column.</param>
    /// <param name="columns">Tiles per grid row; fewer images than this make a single, narrower row.</param>
    /// <param name="padding">Pixels between tiles and around the border.</param>
    /// <param name="maxImages">Read at most this many rows; null reads every row.</param>
    /// <param name="paddingGray">The gray level (0…255) of the padding and of empty tiles in the last row.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or is not an image column, or an argument is out of range.</exception>
    /// <exception cref="ArgumentException">The column has no rows, a row has no image, or the images differ in size.</exception>
    public static MLImage Create(IDataView data, string imageColumnName, int columns = 8, int padding = 2, int? maxImages = null, byte paddingGray = 255)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(imageColumnName);
        CheckLayout(columns, padding, maxImages);
        var images = data.GetImages(imageColumnName);
        var read = (maxImages is int max ? images.Take(max) : images).ToList();
        try
        {
            return ToImage(Tile(read, columns, padding, paddingGray, $"column '{imageColumnName}'", "row"));
        }
        finally
        {
            foreach (var image in read) image.Dispose();
        }
    }

    /// <summary>Tiles <paramref name="images"/> in order.</summary>
    /// <param name="images">Images of one size.</param>
    /// <param name="columns">Tiles per grid row; fewer images than this make a single, narrower row.</param>
    /// <param name="padding">Pixels between tiles and around the border.</param>
    /// <param name="maxImages">Use at most this many images; null uses all.</param>
    /// <param name="paddingGray">The gray level (0…255) of the padding and of empty tiles in the last row.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="ArgumentException">There are no images, one is null, or they differ in size.</exception>
    public static MLImage Create(IEnumerable<MLImage> images, int columns = 8, int padding = 2, int? maxImages = null, byte paddingGray = 255)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckLayout(columns, padding, maxImages);
        var list = (maxImages is int max ? images.Take(max) : images).ToList();
        for (int i = 0; i < list.Count; i++)
            if (list[i] is null) throw new ArgumentException($"Image {i} is null; every entry needs an image for a grid.", nameof(images));
        return ToImage(Tile(list, columns, padding, paddingGray, "the image list", "image"));
    }

    /// <summary>
    /// Tiles <paramref name="images"/> in order, <paramref name="columns"/> a row, and writes each row's label to its left
    /// in a built-in 5×7 pixel font (letters, digits, space and <c>- / . : =</c>), e.g. one row per class.
    /// </summary>
    /// <param name="images">Images of one size, at least 7 pixels high.</param>
    /// <param name="rowLabels">One label per grid row: as many as the images fill rows of <paramref name="columns"/>.</param>
    /// <param name="columns">Tiles per grid row.</param>
    /// <param name="padding">Pixels between tiles, around the border and between the labels and the tiles.</param>
    /// <param name="paddingGray">The gray level (0…255) of the padding, the label margin and empty tiles.</param>
    /// <param name="labelGray">The gray level (0…255) of the label text.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// There are no images, one is null, they differ in size or are too low for the font, the label count does not
    /// match the rows, or a label has a character the font lacks.
    /// </exception>
    public static MLImage CreateLabeled(IEnumerable<MLImage> images, IReadOnlyList<string> rowLabels, int columns = 8, int padding = 2,
        byte paddingGray = 255, byte labelGray = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(rowLabels);
        CheckLayout(columns, padding, null);
        var list = images.ToList();
        for (int i = 0; i < list.Count; i++)
            if (list[i] is null) throw new ArgumentException($"Image {i} is null; every entry needs an image for a grid.", nameof(images));
        int rows = (list.Count + columns - 1) / columns;
        if (rowLabels.Count != rows)
            throw new ArgumentException($"There are {rowLabels.Count} row labels, but {list.Count} images in rows of {columns} make {rows} grid rows; pass one label per row.", nameof(rowLabels));
        for (int r = 0; r < rows; r++)
        {
            var label = rowLabels[r] ?? throw new ArgumentException($"Row label {r} is null.", nameof(rowLabels));
            int bad = label.ToList().FindIndex(c => !BitmapFont.Supports(c));
            if (bad >= 0)
                throw new ArgumentException($"Row label {r} ('{label}') has the character '{label[bad]}', which the built-in font lacks; it draws {string.Concat(BitmapFont.Characters)}.", nameof(rowLabels));
        }
        if (list.Count > 0 && list[0].Height < BitmapFont.Height)
            throw new ArgumentException($"The images are {list[0].Height} pixels high; labels need tiles of at least {BitmapFont.Height}.", nameof(images));

        int margin = rowLabels.Count == 0 ? 0 : rowLabels.Max(BitmapFont.Width) + padding;
        var (pixels, width, _) = Tile(list, columns, padding, paddingGray, "the image list", "image", margin);
        int tileHeight = list[0].Height;
        for (int r = 0; r < rows; r++)
            BitmapFont.Draw(pixels, width, padding, padding + r * (tileHeight + padding) + (tileHeight - BitmapFont.Height) / 2, rowLabels[r], labelGray);
        return MLImage.CreateFromPixels(width, pixels.Length / 4 / width, MLPixelFormat.Bgra32, pixels);
    }

    private static void CheckLayout(int columns, int padding, int? maxImages)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be at least 1.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding cannot be negative.");
        if (maxImages is < 1) throw new ArgumentOutOfRangeException(nameof(maxImages), maxImages, "maxImages must be at least 1 (or null for all).");
    }

    private static MLImage ToImage((byte[] Pixels, int Width, int Height) grid) =>
        MLImage.CreateFromPixels(grid.Width, grid.Height, MLPixelFormat.Bgra32, grid.Pixels);

    // BGRA pixels of the grid; leftMargin extra columns of padding gray on the left (for labels).
    private static (byte[] Pixels, int Width, int Height) Tile(List<MLImage> images, int columns, int padding, byte paddingGray, string source, string item, int leftMargin = 0)
    {
        if (images.Count == 0) throw new ArgumentException($"{Capitalize(source)} has no images; a grid needs at least one.");
        int tileWidth = images[0].Width, tileHeight = images[0].Height;
        for (int i = 1; i < images.Count; i++)
        {
            if (images[i].Width != tileWidth || images[i].Height != tileHeight)
                throw new ArgumentException(
                    $"{Capitalize(source)} holds images of different sizes: {item} 0 is {tileWidth}×{tileHeight} but {item} {i} is {images[i].Width}×{images[i].Height}; " +
                    "a grid needs one size (resize them first, e.g. with ResizeImages).");
        }
        int gridColumns = Math.Min(columns, images.Count);
        int gridRows = (images.Count + gridColumns - 1) / gridColumns;
        long width = leftMargin + (long)gridColumns * tileWidth + (gridColumns + 1L) * padding;
        long height = (long)gridRows * tileHeight + (gridRows + 1L) * padding;
        if (width * height > int.MaxValue / 4)
            throw new ArgumentException($"A grid of {gridColumns}×{gridRows} tiles of {tileWidth}×{tileHeight} would be {width}×{height} pixels, too large for one image; pass a smaller maxImages.");

        var pixels = new byte[width * height * 4];
        for (int i = 0; i < pixels.Length; i += 4)
        {
            pixels[i] = pixels[i + 1] = pixels[i + 2] = paddingGray;
            pixels[i + 3] = 255;
        }
        for (int k = 0; k < images.Count; k++)
        {
            var image = images[k];
            var src = image.Pixels;
            bool rgba = image.PixelFormat == MLPixelFormat.Rgba32;
            long left = leftMargin + padding + (long)(k % gridColumns) * (tileWidth + padding);
            long top = padding + (long)(k / gridColumns) * (tileHeight + padding);
            for (int y = 0; y < tileHeight; y++)
            {
                var srcRow = src.Slice(y * tileWidth * 4, tileWidth * 4);
                var dstRow = pixels.AsSpan((int)(((top + y) * width + left) * 4), tileWidth * 4);
                if (!rgba)
                {
                    srcRow.CopyTo(dstRow);
                    continue;
                }
                for (int x = 0; x < tileWidth * 4; x += 4)
                {
                    dstRow[x] = srcRow[x + 2];
                    dstRow[x + 1] = srcRow[x + 1];
                    dstRow[x + 2] = srcRow[x];
                    dstRow[x + 3] = srcRow[x + 3];
                }
            }
        }
        return (pixels, (int)width, (int)height);
    }

    private static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
