package dev.framestream.app.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import dev.framestream.media.OpenCv;

/**
 * The report's PNG plots, drawn with OpenCV (its Hershey fonts need nothing installed, unlike a
 * headless AWT): a confusion-matrix heat map per model and the accuracy over the replay.
 */
final class Plots {
    private static final Scalar WHITE = new Scalar(255, 255, 255);
    private static final Scalar BLACK = new Scalar(0, 0, 0);
    private static final Scalar GRID = new Scalar(220, 220, 220);
    /** Line colours (BGR) of the first and second model. */
    private static final Scalar[] SERIES = {new Scalar(180, 100, 30), new Scalar(20, 130, 240)};
    private static final int FONT = Imgproc.FONT_HERSHEY_SIMPLEX;

    private Plots() {
    }

    /**
     * A heat map of the confusion matrix, each row scaled by its class's frames (so the diagonal
     * reads as recall), with the counts in the cells when they fit.
     */
    static void confusion(Scores scores, Path file) {
        OpenCv.load();
        int n = scores.classes().size();
        int cell = Math.max(14, Math.min(56, 640 / Math.max(1, n)));
        int left = 110;
        int top = 70;
        Mat canvas = new Mat(top + n * cell + 40, left + n * cell + 20, CvType.CV_8UC3, WHITE);
        Mat shares = new Mat(n, n, CvType.CV_8UC1);
        long[][] confusion = scores.confusion();
        for (int r = 0; r < n; r++) {
            long support = 0;
            for (long count : confusion[r]) {
                support += count;
            }
            for (int c = 0; c < n; c++) {
                shares.put(r, c, support == 0 ? 0.0 : Math.round(255.0 * confusion[r][c] / support));     // a double: put(byte) would take it as signed
            }
        }
        Mat coloured = new Mat();
        Imgproc.applyColorMap(shares, coloured, Imgproc.COLORMAP_VIRIDIS);
        Mat big = new Mat();
        Imgproc.resize(coloured, big, new org.opencv.core.Size(n * cell, n * cell), 0, 0, Imgproc.INTER_NEAREST);
        big.copyTo(canvas.submat(new Rect(left, top, n * cell, n * cell)));
        text(canvas, "confusion of " + ReportWriter.title(scores) + " (rows: truth, columns: predicted)", new Point(10, 24), 0.55);
        for (int i = 0; i < n; i++) {
            String name = shorten(scores.classes().get(i), 12);
            text(canvas, name, new Point(8, top + i * cell + cell / 2.0 + 5), 0.45);
            Imgproc.putText(canvas, shorten(scores.classes().get(i), 4), new Point(left + i * cell + 3, top - 8), FONT, 0.4, BLACK, 1,
                    Imgproc.LINE_AA);
            for (int c = 0; c < n && cell >= 28; c++) {
                double share = (shares.get(i, c)[0]) / 255.0;
                String count = Long.toString(confusion[i][c]);
                Imgproc.putText(canvas, count, new Point(left + c * cell + 3, top + i * cell + cell / 2.0 + 4), FONT, 0.38,
                        share > 0.6 ? BLACK : WHITE, 1, Imgproc.LINE_AA);
            }
        }
        Imgcodecs.imwrite(file.toString(), canvas);
    }

    /** The accuracy of each successive slice of the replay, one line per model, 0 to 100 %. */
    static void accuracyOverReplay(List<Scores> models, Path file) {
        OpenCv.load();
        int width = 900;
        int height = 420;
        int left = 60;
        int right = 20;
        int top = 70;
        int bottom = 50;
        Mat canvas = new Mat(height, width, CvType.CV_8UC3, WHITE);
        int plotWidth = width - left - right;
        int plotHeight = height - top - bottom;
        for (int percent = 0; percent <= 100; percent += 25) {
            int y = top + plotHeight - percent * plotHeight / 100;
            Imgproc.line(canvas, new Point(left, y), new Point(left + plotWidth, y), GRID, 1);
            text(canvas, percent + " %", new Point(8, y + 5), 0.45);
        }
        Imgproc.rectangle(canvas, new Point(left, top), new Point(left + plotWidth, top + plotHeight), BLACK, 1);
        text(canvas, "accuracy over the replay", new Point(left, 30), 0.6);
        long longest = 0;
        for (Scores s : models) {
            longest = Math.max(longest, s.scored());
        }
        text(canvas, "0", new Point(left - 4, top + plotHeight + 20), 0.45);
        String end = String.format("%,d frames with a truth", longest);
        text(canvas, end, new Point(left + plotWidth - 9 * end.length(), top + plotHeight + 20), 0.45);
        for (int m = 0; m < models.size(); m++) {
            Scores s = models.get(m);
            double[] values = s.overReplay();
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                double framesAt = Math.min(s.scored(), (i + 1L) * s.bucketFrames());
                points.add(new Point(left + plotWidth * framesAt / Math.max(1, longest), top + plotHeight * (1 - values[i])));
            }
            if (points.size() == 1) {
                points.add(0, new Point(left, points.get(0).y));
            }
            if (!points.isEmpty()) {
                Imgproc.polylines(canvas, List.of(new MatOfPoint(points.toArray(new Point[0]))), false, SERIES[m % SERIES.length], 2, Imgproc.LINE_AA);
            }
            Point legend = new Point(left + 380 * m, 50);
            Imgproc.line(canvas, legend, new Point(legend.x + 24, legend.y), SERIES[m % SERIES.length], 3);
            text(canvas, ReportWriter.title(s) + String.format(" (%s)", ReportWriter.percent(s.accuracy())), new Point(legend.x + 32, legend.y + 5),
                    0.45);
        }
        Imgcodecs.imwrite(file.toString(), canvas);
    }

    private static void text(Mat canvas, String text, Point at, double scale) {
        Imgproc.putText(canvas, text, at, FONT, scale, BLACK, 1, Imgproc.LINE_AA);
    }

    private static String shorten(String name, int max) {
        return name.length() <= max ? name : name.substring(0, max - 1) + "~";
    }
}
