using Inegi.UrbanGrowth.Accuracy;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>
/// The whole flow in Debian's headless Chromium (chromium + chromium-driver, installed by .ci/validation-setup.sh):
/// open the link, label cells with the keyboard only, then check the database and the export.
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium", ChromeDriver = "/usr/bin/chromedriver";

    [Fact]
    public void Label_cells_with_the_keyboard_in_a_real_browser()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), "install chromium and chromium-driver (.ci/validation-setup.sh)");
        using Scene scene = Scene.Create(12);
        string token = LabelStore.Open(scene.DatabasePath).AddInterpreter("Ana López");
        using ServerProcess server = ServerProcess.Start(scene, "--double-share", "0");
        using ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000", "--hide-scrollbars", "--force-device-scale-factor=1");
        using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        try
        {
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
            driver.Navigate().GoToUrl(ValidationServer.Link(server.Address.ToString(), token));
            Assert.DoesNotContain("token", driver.Url, StringComparison.Ordinal); // the link's token went into a cookie
            long first = WaitForCell(driver, wait, null);
            Assert.Contains("Ana López", driver.FindElement(By.Id("who")).Text, StringComparison.Ordinal);

            // Cell 1: urban in the map year, high confidence, a comment, Enter.
            Keys(driver, "u", "h", "/");
            driver.FindElement(By.Id("comment")).SendKeys("dense grid of roofs");
            Keys(driver, OpenQA.Selenium.Keys.Escape, OpenQA.Selenium.Keys.Enter);
            long second = WaitForCell(driver, wait, first);
            // Cell 2: never urban (0), medium confidence.
            Keys(driver, "0", "m", OpenQA.Selenium.Keys.Enter);
            long third = WaitForCell(driver, wait, second);
            // Cell 3: the 2010 column selected with '[', answered cannot tell; 2020 ('[' then ']') urban; low confidence.
            Keys(driver, "[", "c", "]", "u", "l", OpenQA.Selenium.Keys.Enter);
            long fourth = WaitForCell(driver, wait, third);
            // Cell 4: first year urban = the 2nd year (2020), saved.
            Keys(driver, "2", OpenQA.Selenium.Keys.Enter);
            long fifth = WaitForCell(driver, wait, fourth);

            // Back with the arrow: the previous cell shows its stored answer; forward again returns to the new cell.
            Keys(driver, OpenQA.Selenium.Keys.ArrowLeft);
            Assert.Equal(fourth, WaitForCell(driver, wait, fifth));
            Assert.Contains("on", driver.FindElement(By.CssSelector("[data-first='2020']")).GetAttribute("class") ?? "", StringComparison.Ordinal);
            Keys(driver, OpenQA.Selenium.Keys.ArrowRight);
            Assert.Equal(fifth, WaitForCell(driver, wait, fourth));
            wait.Until(d => d.FindElement(By.Id("progress-text")).Text.StartsWith("4 of 12", StringComparison.Ordinal));

            var stored = LabelStore.Open(scene.DatabasePath).AllLabels().Select(l => l.Answer).ToDictionary(a => a.CellId);
            Assert.Equal(4, stored.Count);
            Assert.Equal((1, 3, "dense grid of roofs"), (stored[first].Label, stored[first].Confidence!.Value, stored[first].Comment!));
            Assert.Equal((0, 2, (int?)null), (stored[second].Label, stored[second].Confidence!.Value, stored[second].FirstYearUrban));
            Assert.Equal(new Dictionary<int, byte> { [2010] = 0, [2020] = 0 }, stored[second].Years);
            Assert.Equal(new Dictionary<int, byte> { [2010] = 255, [2020] = 1 }, stored[third].Years);
            Assert.Equal((1, 1), (stored[third].Label, stored[third].Confidence!.Value));
            Assert.Equal((1, 2020), (stored[fourth].Label, stored[fourth].FirstYearUrban!.Value));

            string filled = scene.Dir.File("filled.csv");
            Assert.Equal(4, ValidationExport.WriteReferenceCsv(LabelStore.Open(scene.DatabasePath), filled).Written);
            var reference = SampleFiles.ReadReferenceCsv(filled).ToDictionary(r => r.CellId, r => r.Reference);
            Assert.Equal([(byte)1, (byte)0, (byte)1, (byte)1], new[] { first, second, third, fourth }.Select(id => reference[id]));

            // The screenshot in docs/ comes from here: URBAN_VALIDATION_SCREENSHOT=docs/validation-labelling.png.
            string shot = Environment.GetEnvironmentVariable("URBAN_VALIDATION_SCREENSHOT") is { Length: > 0 } target ? target : scene.Dir.File("page.png");
            Keys(driver, "u", "[");
            WaitForImages(driver, wait);
            driver.GetScreenshot().SaveAsFile(shot);
            Assert.True(new FileInfo(shot).Length > 10_000);
        }
        finally
        {
            driver.Quit();
        }
    }

    private static void Keys(IWebDriver driver, params string[] keys)
    {
        foreach (string k in keys)
        {
            new OpenQA.Selenium.Interactions.Actions(driver).SendKeys(k).Perform();
        }
    }

    private static long WaitForCell(IWebDriver driver, WebDriverWait wait, long? previous)
    {
        long id = -1;
        wait.Until(d =>
        {
            string title = d.FindElement(By.Id("cell-title")).Text;
            if (!title.StartsWith("Cell ", StringComparison.Ordinal))
            {
                return false;
            }

            id = long.Parse(title[5..title.IndexOf(' ', 5)], System.Globalization.CultureInfo.InvariantCulture);
            return id != previous;
        });
        WaitForImages(driver, wait);
        return id;
    }

    private static void WaitForImages(IWebDriver driver, WebDriverWait wait) =>
        wait.Until(d => (bool)((IJavaScriptExecutor)d).ExecuteScript("return [...document.images].length > 0 && [...document.images].every(i => i.complete && i.naturalWidth === 300);")!);
}
