package io.twinlog.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}; .ci/run
 * installs them), driven by Selenium. The flags keep it from reaching for the network: this machine
 * has none, and Chromium's background connections would only fail.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final WebDriver driver;
    private final Path profile;

    /**
     * @param arguments more of Chromium's flags (the secured stack's test names the one certificate
     *     key to trust)
     */
    Browser(Path work, String... arguments) throws IOException {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(
                        binary
                                + " is missing: the console's browser test needs Debian's chromium and"
                                + " chromium-driver (apt-get install chromium chromium-driver; .ci/run does it)");
            }
        }
        profile = Files.createTempDirectory(work, "chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1366,1000",
                "--user-data-dir=" + profile);
        options.addArguments(arguments);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        driver = new ChromeDriver(service, options);
    }

    <T> T await(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(condition);
    }

    /** A screenshot of the page down to its end (at most 2,400 pixels), for the docs. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Dimension window = driver.manage().window().getSize();
        long height =
                (Long)
                        ((JavascriptExecutor) driver)
                                .executeScript("return document.documentElement.scrollHeight");
        driver.manage()
                .window()
                .setSize(new Dimension(window.getWidth(), (int) Math.min(2_400, height + 120)));
        try {
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
