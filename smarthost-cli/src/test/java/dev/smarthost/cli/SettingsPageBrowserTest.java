package dev.smarthost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.cli.web.SettingsServer;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvFileSmarthostStore;
import dev.smarthost.testkit.SmarthostServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The settings page in a real headless Chromium (Debian's chromium and chromium-driver, which
 * .ci/run installs): fill the form, save, see the success; then a wrong password, and the hint next
 * to the credentials. The screenshot of the success becomes docs/settings-page.png.
 */
@Timeout(120)
@Tag("system-servers")
class SettingsPageBrowserTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  @TempDir Path dir;

  @Test
  void fillSaveAndSeeTheHintNextToTheField() throws Exception {
    assertThat(Path.of(CHROMIUM))
        .as("apt-get install chromium chromium-driver (.ci/run does this)")
        .isExecutable();
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer smtp =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireAuth("app", "s3cret-Pässwörd")
                .start();
        SettingsServer page = page(env, smtp, Duration.ofSeconds(10))) {
      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("http://127.0.0.1:" + page.port() + "/#token=browser-token-0123456789");
        fill(browser, "host", "localhost");
        fill(browser, "port", Integer.toString(smtp.port()));
        new Select(browser.findElement(By.id("encryption"))).selectByValue("starttls");
        fill(browser, "username", "app");
        fill(browser, "password", "s3cret-Pässwörd");
        browser.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Saved"));
        assertThat(browser.findElement(By.id("result")).getText())
            .contains("greeting")
            .contains("auth");
        assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(smtp.settings());
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
            shot, Path.of("target", "settings-page.png"), StandardCopyOption.REPLACE_EXISTING);

        fill(browser, "password", "wrong-password");
        browser.findElement(By.id("save")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Not saved"));
        WebElement hint = browser.findElement(By.id("error-credentials"));
        assertThat(hint.getText()).contains("rejected the username or password");
        assertThat(browser.findElement(By.id("result")).getText())
            .contains("AUTHENTICATION_FAILED");
        assertThat(browser.getPageSource()).doesNotContain("s3cret-Pässwörd");
        assertThat(EnvFileSmarthostResolver.of(env).resolve())
            .contains(smtp.settings()); // unchanged
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void detectFillsInThePortAndEncryptionThatWork() throws Exception {
    assertThat(Path.of(CHROMIUM))
        .as("apt-get install chromium chromium-driver (.ci/run does this)")
        .isExecutable();
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer smtp =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireAuth("app", "s3cret-Pässwörd")
                .start();
        SettingsServer page = page(env, smtp, Duration.ofSeconds(15))) {
      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + page.port() + "/#token=browser-token-0123456789");
        fill(browser, "host", "localhost");
        fill(browser, "port", Integer.toString(smtp.port()));
        new Select(browser.findElement(By.id("encryption"))).selectByValue("none"); // a wrong guess
        fill(browser, "username", "app");
        fill(browser, "password", "s3cret-Pässwörd");
        browser.findElement(By.id("detect")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Detected"));
        assertThat(
                new Select(browser.findElement(By.id("encryption")))
                    .getFirstSelectedOption()
                    .getAttribute("value"))
            .isEqualTo("starttls");
        assertThat(browser.findElement(By.id("port")).getAttribute("value"))
            .isEqualTo(Integer.toString(smtp.port()));
        assertThat(browser.findElement(By.id("result")).getText())
            .contains(smtp.port() + " starttls")
            .contains("works");
        browser.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Saved"));
        assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(smtp.settings());
        assertThat(browser.getPageSource()).doesNotContain("s3cret-Pässwörd");
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void oauth2WithTheMicrosoft365PresetThenOwnEndpointSavesAfterAnXoauth2Login() throws Exception {
    assertThat(Path.of(CHROMIUM))
        .as("apt-get install chromium chromium-driver (.ci/run does this)")
        .isExecutable();
    Path env = dir.resolve("smarthost.env");
    String accessToken = "eyJ.browser-access-token.sig";
    String secret = "browser-Secret~Marker.6161";
    try (SmarthostServer smtp =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireOAuth2("box@contoso.com", accessToken::equals)
                .start();
        TokenEndpoint tokens = new TokenEndpoint(accessToken);
        SettingsServer page = page(env, smtp, Duration.ofSeconds(10))) {
      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("http://127.0.0.1:" + page.port() + "/#token=browser-token-0123456789");
        assertThat(browser.findElement(By.id("oauth2-fields")).isDisplayed()).isFalse();
        new Select(browser.findElement(By.id("authentication"))).selectByValue("oauth2");
        assertThat(browser.findElement(By.id("oauth2-fields")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("password")).isDisplayed()).isFalse();
        fill(browser, "m365tenant", "contoso.onmicrosoft.com");
        browser.findElement(By.id("m365")).click();
        assertThat(browser.findElement(By.id("oauth2TokenUrl")).getAttribute("value"))
            .isEqualTo(
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assertThat(browser.findElement(By.id("oauth2Scope")).getAttribute("value"))
            .isEqualTo("https://outlook.office365.com/.default");
        assertThat(browser.findElement(By.id("host")).getAttribute("value"))
            .isEqualTo("smtp.office365.com");

        // this test's own server and token endpoint instead of Microsoft's
        fill(browser, "host", "localhost");
        fill(browser, "port", Integer.toString(smtp.port()));
        fill(browser, "oauth2TokenUrl", tokens.url());
        fill(browser, "username", "box@contoso.com");
        fill(browser, "oauth2ClientId", "app-id");
        fill(browser, "oauth2ClientSecret", secret);
        browser.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Saved"));
        assertThat(browser.findElement(By.id("result")).getText())
            .contains("token")
            .contains("auth");
        assertThat(Files.readString(env))
            .contains("SMTP_OAUTH2_CLIENT_SECRET=" + secret)
            .contains("SMTP_OAUTH2_TOKEN_URL=" + tokens.url());
        browser.navigate().refresh();
        wait.until(
            ExpectedConditions.attributeToBe(
                By.id("oauth2ClientSecret"), "placeholder", "(unchanged)"));
        assertThat(
                new Select(browser.findElement(By.id("authentication")))
                    .getFirstSelectedOption()
                    .getAttribute("value"))
            .isEqualTo("oauth2");
        assertThat(browser.getPageSource()).doesNotContain(secret).doesNotContain(accessToken);
      } finally {
        browser.quit();
      }
    }
  }

  /** The settings page on a free loopback port, storing into {@code env}, checking against smtp. */
  private static SettingsServer page(Path env, SmarthostServer smtp, Duration deadline)
      throws java.io.IOException {
    return new SettingsServer(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        java.util.List.of(),
        "browser-token-0123456789",
        EnvFileSmarthostResolver.builder(env).optional(true).build(),
        EnvFileSmarthostStore.of(env),
        SmtpConnectionValidator.create(smtp.smtpOptions()).withDeadline(deadline),
        null);
  }

  private static void fill(WebDriver browser, String id, String value) {
    WebElement e = browser.findElement(By.id(id));
    e.clear();
    e.sendKeys(value);
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=900,1250");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
