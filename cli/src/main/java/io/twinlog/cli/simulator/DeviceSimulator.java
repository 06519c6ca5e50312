package io.twinlog.cli.simulator;

import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.TelemetryReported;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A fleet of simulated devices: registrations first, then telemetry round-robin, with faults mixed
 * in at the given proportions. Plain Java and seeded: the same settings and clock readings give the
 * same sequence. Temperatures wander around 22 with occasional hot spells above 80 that cool down
 * again, and batteries drain, so threshold alerts are raised and cleared.
 */
public final class DeviceSimulator {

    /** Proportions of the emitted records (0 to 1). */
    public record Faults(
            double duplicates,
            double outOfOrder,
            double late,
            double malformed,
            double firmwareUpdates,
            double decommissions,
            double silentDevices) {

        /** Each is a share of records (or of devices, for silence): between 0 and 1. */
        public Faults {
            share("--duplicates", duplicates);
            share("--out-of-order", outOfOrder);
            share("--late", late);
            share("--malformed", malformed);
            share("--firmware-updates", firmwareUpdates);
            share("--decommissions", decommissions);
            share("--silent", silentDevices);
        }

        private static void share(String option, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(
                        option + " is a share between 0 and 1 (0.01 is 1 %), not " + value);
            }
        }

        public static Faults none() {
            return new Faults(0, 0, 0, 0, 0, 0, 0);
        }
    }

    public enum Kind {
        REGISTRATION,
        TELEMETRY,
        DUPLICATE,
        OUT_OF_ORDER,
        LATE,
        MALFORMED,
        FIRMWARE_UPDATE,
        DECOMMISSIONING,
        AFTER_DECOMMISSIONING
    }

    /**
     * What to send: an event to encode (broken as the malformation says, if any), or for a
     * duplicate no event: the device's previous record is sent again, byte for byte.
     */
    public record Emission(
            String deviceId, Kind kind, DeviceEvent event, Malformation malformation) {}

    /** Kinds of bad records, each a different dead-letter reason. */
    /**
     * Kinds of bad record, each of which the job must dead-letter (docs/RELIABILITY.md lists what
     * each becomes).
     */
    public enum Malformation {
        NOT_WIRE_FORMAT,
        WRONG_MAGIC_BYTE,
        GARBAGE,
        UNKNOWN_SCHEMA_ID,
        TRUNCATED,
        EMPTY_EVENT_ID,
        /** Five bytes declaring a 1.5 GB string: Avro would allocate before reading. */
        HUGE_STRING_LENGTH,
        /** A readings map declaring 2^40 entries. */
        HUGE_MAP_COUNT,
        /** A valid event with more readings than the limit allows. */
        TOO_MANY_READINGS,
        /** A valid event whose id is longer than the limit allows. */
        LONG_EVENT_ID,
        /** A valid event from a clock a day ahead. */
        EVENT_TIME_AHEAD
    }

    private static final String[] MODELS = {"thermo-3", "thermo-4", "hygro-2", "multi-1"};
    private static final String[] SITES = {"berlin", "lyon", "porto", "oslo"};
    private static final int AFTER_DECOMMISSIONING_EVENTS = 2;

    private final Random random;
    private final Faults faults;
    private final Duration lateBy;
    private final List<Device> devices = new ArrayList<>();
    private final Map<Kind, Long> counts = new LinkedHashMap<>();
    private int registered;
    private int cursor;
    private long emitted;

    public DeviceSimulator(
            int deviceCount, String prefix, long seed, Faults faults, Duration lateBy) {
        if (deviceCount < 1) {
            throw new IllegalArgumentException("at least one device");
        }
        this.random = new Random(seed);
        this.faults = faults;
        this.lateBy = lateBy;
        int digits = Math.max(5, String.valueOf(deviceCount).length());
        for (int i = 1; i <= deviceCount; i++) {
            devices.add(new Device(String.format("%s%0" + digits + "d", prefix, i), random));
        }
        for (Kind kind : Kind.values()) {
            counts.put(kind, 0L);
        }
    }

    /**
     * The next record to send, as of this wall-clock time; null when every device is done (silent).
     */
    public Emission next(long nowMillis) {
        emitted++;
        if (registered < devices.size()) {
            Device device = devices.get(registered++);
            return count(
                    new Emission(
                            device.id,
                            Kind.REGISTRATION,
                            event(
                                    device,
                                    nowMillis,
                                    new DeviceRegistered(
                                            device.model, "1.0.0", Map.of("site", device.site))),
                            null));
        }
        Device device = nextActiveDevice();
        if (device == null) {
            return null;
        }
        if (device.decommissioned) {
            device.afterDecommissioning++;
            return count(
                    new Emission(
                            device.id,
                            Kind.AFTER_DECOMMISSIONING,
                            device.telemetry(nowMillis, random),
                            null));
        }
        double dice = random.nextDouble();
        if ((dice -= faults.duplicates()) < 0 && device.sent > 0) {
            return count(new Emission(device.id, Kind.DUPLICATE, null, null));
        }
        if ((dice -= faults.outOfOrder()) < 0) {
            long olderBy = 1_000 + random.nextInt(59_000);
            return count(
                    new Emission(
                            device.id,
                            Kind.OUT_OF_ORDER,
                            device.telemetry(Math.max(0, device.lastEventTime - olderBy), random),
                            null));
        }
        if ((dice -= faults.late()) < 0) {
            return count(
                    new Emission(
                            device.id,
                            Kind.LATE,
                            device.telemetry(nowMillis - lateBy.toMillis(), random),
                            null));
        }
        if ((dice -= faults.malformed()) < 0) {
            Malformation malformation =
                    Malformation.values()[random.nextInt(Malformation.values().length)];
            return count(
                    new Emission(
                            device.id,
                            Kind.MALFORMED,
                            device.telemetry(nowMillis, random),
                            malformation));
        }
        if ((dice -= faults.firmwareUpdates()) < 0) {
            device.firmwareMinor++;
            return count(
                    new Emission(
                            device.id,
                            Kind.FIRMWARE_UPDATE,
                            event(
                                    device,
                                    nowMillis,
                                    new FirmwareUpdated("1." + device.firmwareMinor + ".0")),
                            null));
        }
        if ((dice -= faults.decommissions()) < 0) {
            device.decommissioned = true;
            return count(
                    new Emission(
                            device.id,
                            Kind.DECOMMISSIONING,
                            event(
                                    device,
                                    nowMillis,
                                    new DeviceDecommissioned("replaced in the field")),
                            null));
        }
        if ((dice -= faults.silentDevices()) < 0) {
            device.silent = true;
        }
        return count(
                new Emission(device.id, Kind.TELEMETRY, device.telemetry(nowMillis, random), null));
    }

    public Map<Kind, Long> counts() {
        return counts;
    }

    public long emitted() {
        return emitted;
    }

    /** Devices that stopped sending (silent by choice or done after decommissioning). */
    public long silentDevices() {
        return devices.stream().filter(d -> d.silent).count();
    }

    private Device nextActiveDevice() {
        for (int tried = 0; tried < devices.size(); tried++) {
            Device device = devices.get(cursor);
            cursor = (cursor + 1) % devices.size();
            if (!device.silent && device.afterDecommissioning < AFTER_DECOMMISSIONING_EVENTS) {
                return device;
            }
        }
        return null;
    }

    private Emission count(Emission emission) {
        counts.merge(emission.kind(), 1L, Long::sum);
        return emission;
    }

    private DeviceEvent event(Device device, long time, Object payload) {
        return device.event(time, payload, random);
    }

    /** One simulated device: its readings wander, its battery drains. */
    private static final class Device {
        final String id;
        final String model;
        final String site;
        double temperature;
        double humidity;
        double battery;
        final double drain;
        final double hotTarget;
        int hotSpell;
        int firmwareMinor;
        boolean decommissioned;
        int afterDecommissioning;
        boolean silent;
        long lastEventTime;
        int sent;

        Device(String id, Random random) {
            this.id = id;
            this.model = MODELS[random.nextInt(MODELS.length)];
            this.site = SITES[random.nextInt(SITES.length)];
            this.temperature = 18 + random.nextDouble() * 8;
            this.humidity = 35 + random.nextDouble() * 20;
            this.battery = 30 + random.nextDouble() * 70;
            this.drain = 0.3 + random.nextDouble() * 3.0;
            this.hotTarget = 84 + random.nextDouble() * 12;
        }

        DeviceEvent telemetry(long time, Random random) {
            if (hotSpell == 0 && random.nextDouble() < 0.03) {
                hotSpell = 6 + random.nextInt(8);
            }
            double target = hotSpell > 0 ? hotTarget : 22;
            if (hotSpell > 0) {
                hotSpell--;
            }
            temperature += (target - temperature) * 0.5 + random.nextGaussian();
            humidity = Math.max(5, Math.min(95, humidity + random.nextGaussian()));
            battery = Math.max(0, battery - drain * random.nextDouble());
            Map<String, Double> readings = new LinkedHashMap<>();
            readings.put("temperature", round(temperature));
            readings.put("humidity", round(humidity));
            readings.put("battery", round(battery));
            return event(time, new TelemetryReported(readings), random);
        }

        DeviceEvent event(long time, Object payload, Random random) {
            lastEventTime = Math.max(lastEventTime, time);
            sent++;
            return DeviceEvent.newBuilder()
                    .setEventId(new UUID(random.nextLong(), random.nextLong()).toString())
                    .setDeviceId(id)
                    .setEventTime(Instant.ofEpochMilli(time))
                    .setPayload(payload)
                    .build();
        }

        private static double round(double value) {
            return Math.round(value * 10) / 10.0;
        }
    }
}
