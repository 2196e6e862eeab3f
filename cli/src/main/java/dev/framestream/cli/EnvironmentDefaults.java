package dev.framestream.cli;

import java.lang.reflect.Field;
import java.util.Locale;
import java.util.function.Function;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code FRAMESTREAM_<FLAG>} fallback ({@code --kill-within} → {@code FRAMESTREAM_KILL_WITHIN})
 * for the options that declare no default of their own: the shared option mixins, whose default
 * is each command's (given to the mixin's constructor), so it cannot be written in the annotation.
 * An option that declares a {@code defaultValue} keeps it, and with it its own environment variable,
 * even when that variable is unset (ingest's {@code --cameras} reads {@code FRAMESTREAM_CAMERAS_FILE},
 * never {@code FRAMESTREAM_CAMERAS}); {@code --help} and {@code --version} take none.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
    /** What {@code @Option.defaultValue} is when an option names no default. */
    private static final String NO_DEFAULT = noDefault();

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
        return argument instanceof OptionSpec option && fallsBack(option) ? environment.apply(variable(option)) : null;
    }

    /** Whether this provider gives the option its default: it declares none, and it is not {@code --help} or {@code --version}. */
    public static boolean fallsBack(OptionSpec option) {
        return !option.usageHelp() && !option.versionHelp() && !declaresDefault(option);
    }

    /** Whether the option's annotation names a default; the interpolated value cannot tell, being null for an unset variable. */
    private static boolean declaresDefault(OptionSpec option) {
        if (!(option.userObject() instanceof Field field) || !field.isAnnotationPresent(Option.class)) {
            return option.defaultValue() != null;
        }
        return !field.getAnnotation(Option.class).defaultValue().equals(NO_DEFAULT);
    }

    private static String noDefault() {
        try {
            return (String) Option.class.getMethod("defaultValue").getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("picocli's @Option has no defaultValue", e);
        }
    }
}
