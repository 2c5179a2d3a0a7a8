namespace SensorForecast;

/// <summary>
/// A synthetic temperature sensor read once an hour: a daily cycle, a slower weather swing whose period drifts,
/// and measurement noise; scaled to roughly [-1, 1].
/// </summary>
public static class SensorSeries
{
    public static float[] Generate(int hours, int seed)
    {
        var random = new Random(seed);
        var readings = new float[hours];
        var weather = 0.0;
        for (var t = 0; t < hours; t++)
        {
            var daily = Math.Sin(2 * Math.PI * t / 24.0);
            weather += 2 * Math.PI / (24.0 * (3.0 + Math.Sin(t / 200.0)));   // a 2-4 day swing
            var noise = 0.05 * (random.NextDouble() * 2 - 1);
            readings[t] = (float)(0.6 * daily + 0.3 * Math.Sin(weather) + noise);
        }
        return readings;
    }
}
