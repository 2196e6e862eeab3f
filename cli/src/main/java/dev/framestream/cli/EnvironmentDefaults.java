package dev.framestream.cli;

import java.util.Locale;
import java.util.function.Function;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code FRAMESTREAM_<FLAG>} fallback ({@code --kill-within} → {@code FRAMESTREAM_KILL_WITHIN})
 * for the options that declare no default of their own: the shared option mixins, whose default
 * is each command's (given to the mixin's constructor), so it cannot be written in the annotation.
 * An option with its own {@code defaultValue} keeps it, and with it its own environment variable.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
    private final Function<String, String> environment;

    public EnvironmentDefaults() {
        this(System::getenv);
    }

    /** @param environment the value of an environment variable by name, or null */
    EnvironmentDefaults(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The variable an option falls back to. */
    public static String variable(OptionSpec option) {
        return "FRAMESTREAM_" + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.defaultValue() != null) {
            return null;
        }
        return environment.apply(variable(option));
    }
}
