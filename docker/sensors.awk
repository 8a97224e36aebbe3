# A fleet of room sensors for docker/compose.yaml: one JSON reading per room and step, as
# "room-NNN|{...}" lines for kafka-console-producer.sh (parse.key=true, key.separator=|).
# Daily cycles (a step is 5 simulated minutes), noise; POSIX awk, so busybox's runs it.
#   awk -v rooms=8 -v steps=0 -v interval=1 -f sensors.awk   (steps 0: forever; interval in seconds)
BEGIN {
    if (rooms == "") rooms = 8
    if (steps == "") steps = 0
    if (interval == "") interval = 1
    srand(7)
    pi = 3.141592653589793
    for (t = 0; steps == 0 || t < steps; t++) {
        day = 2 * pi * t / 288
        for (r = 0; r < rooms; r++) {
            outdoor = 10 + 8 * sin(day - 2 + r / 10) + (rand() - 0.5)
            occupancy = (sin(day - 1.5 + r / 5) > 0.2) ? int(1 + 4 * rand()) : 0
            temperature = 20 + 0.15 * outdoor + 0.4 * occupancy + 1.5 * sin(day - 2.5 + r / 10) + 0.2 * (rand() - 0.5)
            printf "room-%03d|{\"outdoor\":%.3f,\"occupancy\":%d,\"temperature\":%.3f}\n", r, outdoor, occupancy, temperature
        }
        fflush()
        if (interval > 0) system("sleep " interval)
    }
}
