package io.twinlog.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fixtures that later versions must restore (savepoints, operator snapshots) are generated only
 * from a released version: a clean checkout of its tag. A fixture made from work in progress could
 * hold state no release ever wrote, and then guard nothing.
 */
final class Releases {

    private Releases() {}

    /**
     * @throws IllegalStateException unless the checkout is clean and HEAD carries the tag {@code
     *     v<version>}
     * @return the commit the fixture is generated from, to record beside it
     */
    static String requireTaggedCheckout(String version) throws IOException, InterruptedException {
        String tag = git("describe", "--tags", "--exact-match", "HEAD");
        if (!tag.equals("v" + version)) {
            throw new IllegalStateException(
                    "fixtures of "
                            + version
                            + " are generated from a checkout of tag v"
                            + version
                            + ", not of "
                            + (tag.isEmpty() ? "an untagged commit" : tag));
        }
        if (!git("status", "--porcelain", "--untracked-files=no").isEmpty()) {
            throw new IllegalStateException("the checkout of v" + version + " has local changes");
        }
        return git("rev-parse", "HEAD");
    }

    /** Records which release and commit a fixture was generated from. */
    static void recordOrigin(Path directory, String version, String commit) throws IOException {
        Files.writeString(
                directory.resolve("GENERATED-FROM"),
                "tag v" + version + "\ncommit " + commit + "\n",
                StandardCharsets.UTF_8);
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process git = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        git.waitFor();
        return git.exitValue() == 0 ? out : "";
    }
}
