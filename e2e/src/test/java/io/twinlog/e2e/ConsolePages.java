package io.twinlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** What a user does in the web console, step by step, with what each page must show. */
final class ConsolePages {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Browser browser;
    private final String base;

    ConsolePages(Browser browser, String base) {
        this.browser = browser;
        this.base = base;
    }

    /** The fleet page counts every device and lists the first page of them. */
    void fleet(int devices) {
        browser.driver.get(base + "/");
        browser.await(
                d -> d.findElements(By.cssSelector("#devices tbody tr[data-device]")).size() == 50,
                WAIT);
        String total =
                browser.driver
                        .findElement(By.cssSelector("#count-total .n"))
                        .getText()
                        .replace(",", "");
        assertThat(Integer.parseInt(total)).isGreaterThanOrEqualTo(devices);
    }

    /** The titles of the device page's charts, once drawn, and what the page noted. */
    List<String> chartsOf(String device) {
        browser.driver.get(
                base + "/device.html?id=" + URLEncoder.encode(device, StandardCharsets.UTF_8));
        browser.await(d -> !d.findElements(By.cssSelector("#charts .chart")).isEmpty(), WAIT);
        assertThat(browser.driver.findElement(By.id("notes")).getText())
                .as("errors on the page")
                .isEmpty();
        return browser.driver.findElements(By.cssSelector("#charts .chart .title")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** Searching narrows the list to the device; its link opens the device page. */
    void searchAndOpen(String device) {
        WebElement search = browser.driver.findElement(By.id("search"));
        search.clear();
        search.sendKeys(device, Keys.ENTER);
        browser.await(
                d -> {
                    List<WebElement> rows =
                            d.findElements(By.cssSelector("#devices tbody tr[data-device]"));
                    return rows.size() == 1
                            && rows.get(0).getAttribute("data-device").equals(device);
                },
                WAIT);
        browser.driver.findElement(By.linkText(device)).click();
        browser.await(d -> d.getCurrentUrl().contains("device.html?id=" + device), WAIT);
        browser.await(d -> !d.findElements(By.cssSelector("#asof-twin dd")).isEmpty(), WAIT);
        browser.await(d -> !d.findElements(By.cssSelector("#charts svg")).isEmpty(), WAIT);
        browser.await(d -> !d.findElements(By.cssSelector("#history tbody tr")).isEmpty(), WAIT);
    }

    /**
     * Moves the as-of slider to the first event, then a few events on, and each time checks that
     * every field of the twin shown is the API's as-of answer for the time shown.
     */
    void moveAsOfAndCompareWithTheApi(String device) throws Exception {
        WebElement slider = browser.driver.findElement(By.id("asof-slider"));
        browser.await(
                d -> d.findElement(By.id("asof-twin")).getAttribute("data-pending") == null, WAIT);
        String latest = asOfTime();
        slider.sendKeys(Keys.HOME);
        awaitAsOfOtherThan(latest);
        compareWithApi(device);
        String first = asOfTime();
        slider.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        awaitAsOfOtherThan(first);
        compareWithApi(device);
    }

    /**
     * After the slider moved, the page's URL names the as-of time: opened again, it shows the same
     * twin, as the API has it; the charts have their ticks.
     */
    void theAsOfPointIsInTheUrl(String device) throws Exception {
        String time = asOfTime();
        String url = browser.driver.getCurrentUrl();
        assertThat(url).contains("at=");
        browser.driver.get(base + "/");
        browser.driver.get(url);
        browser.await(
                d ->
                        d.findElement(By.id("asof-twin")).getAttribute("data-pending") == null
                                && time.equals(asOfTime()),
                WAIT);
        compareWithApi(device);
        List<WebElement> charts = browser.driver.findElements(By.cssSelector("#charts svg"));
        assertThat(charts).isNotEmpty();
        for (WebElement chart : charts) {
            assertThat(chart.findElements(By.cssSelector(".tick-x"))).hasSize(5);
            assertThat(chart.findElements(By.cssSelector(".tick-y"))).hasSize(5);
        }
    }

    /**
     * The fleet page's search and status filter are in its URL: a link opens the same view, and
     * Back returns to the previous one.
     */
    void theFilterAndTheSearchAreInTheUrl(String device) {
        browser.driver.get(base + "/?q=" + URLEncoder.encode(device, StandardCharsets.UTF_8));
        browser.await(
                d -> {
                    List<WebElement> rows =
                            d.findElements(By.cssSelector("#devices tbody tr[data-device]"));
                    return rows.size() == 1
                            && rows.get(0).getAttribute("data-device").equals(device);
                },
                WAIT);
        assertThat(browser.driver.findElement(By.id("search")).getAttribute("value"))
                .isEqualTo(device);
        browser.driver.findElement(By.id("count-active")).click();
        browser.await(d -> d.getCurrentUrl().contains("status=ACTIVE"), WAIT);
        assertThat(browser.driver.getCurrentUrl()).contains("q=" + device);
        browser.driver.navigate().back();
        browser.await(
                d ->
                        !d.getCurrentUrl().contains("status=")
                                && d.findElement(By.id("count-total"))
                                        .getAttribute("class")
                                        .contains("selected"),
                WAIT);
    }

    private void compareWithApi(String device) throws Exception {
        String time = asOfTime();
        JsonNode api =
                ReadSideApi.get(
                        base
                                + "/api/devices/"
                                + URLEncoder.encode(device, StandardCharsets.UTF_8)
                                + "/as-of?time="
                                + URLEncoder.encode(time, StandardCharsets.UTF_8));
        List<WebElement> fields =
                browser.driver.findElements(By.cssSelector("#asof-twin dd[data-field]"));
        assertThat(fields).hasSizeGreaterThan(5);
        assertThat(browser.driver.findElement(By.id("asof-position")).getText())
                .isEqualTo(api.path("position").asText());
        for (WebElement field : fields) {
            String name = field.getAttribute("data-field");
            JsonNode shown = JSON.readTree(field.getAttribute("data-value"));
            JsonNode expected = valueOf(api.path("twin"), name);
            if (expected.isNumber()) {
                assertThat(shown.asDouble())
                        .as(name + " at " + time)
                        .isEqualTo(expected.asDouble());
            } else {
                assertThat(shown).as(name + " at " + time).isEqualTo(expected);
            }
        }
        List<String> readings = new java.util.ArrayList<>();
        api.path("twin")
                .path("readings")
                .fieldNames()
                .forEachRemaining(n -> readings.add("readings." + n));
        assertThat(fields.stream().map(f -> f.getAttribute("data-field")).toList())
                .as("every reading of the API's twin is shown")
                .containsAll(readings);
    }

    /** A field of the twin by its console name: dotted paths, a reading's value. */
    private static JsonNode valueOf(JsonNode twin, String field) {
        if (field.startsWith("readings.")) {
            return twin.path("readings").path(field.substring("readings.".length())).path("value");
        }
        JsonNode node = twin;
        for (String part : field.split("\\.", 2)) {
            node = node.path(part);
        }
        return node.isMissingNode() ? JSON.nullNode() : node;
    }

    void openLiveAlerts() {
        browser.driver.get(base + "/alerts.html");
        browser.await(d -> d.findElement(By.id("stream-state")).getText().equals("live"), WAIT);
    }

    /** An alert committed after the page opened appears in the live list, as the API has it. */
    void awaitLiveAlert(Duration timeout) throws Exception {
        browser.await(d -> !d.findElements(By.cssSelector("#live-alerts li")).isEmpty(), timeout);
        String id =
                browser.driver
                        .findElement(By.cssSelector("#live-alerts li"))
                        .getAttribute("data-alert");
        JsonNode recent = ReadSideApi.get(base + "/api/alerts?state=recent&limit=1000");
        assertThat(recent.path("alerts").findValuesAsText("alertId")).contains(id);
    }

    private String asOfTime() {
        return browser.driver.findElement(By.id("asof-time")).getAttribute("data-time");
    }

    private void awaitAsOfOtherThan(String before) {
        browser.await(
                d ->
                        d.findElement(By.id("asof-twin")).getAttribute("data-pending") == null
                                && !asOfTime().equals(before)
                                && !asOfTime().isEmpty(),
                WAIT);
    }
}
