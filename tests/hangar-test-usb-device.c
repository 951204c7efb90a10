/* hangar-test-usb-device.c: a USB keyboard that exists only as a usbredir stream
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The device side of usbredir (libusbredirparser as a "USB host"), for tests on
 * machines with no USB device and no way to make one. It speaks on fd 3, a stream
 * socket whose other end reaches QEMU's usb-redir (Machine1.AttachUsbStream), and
 * is a HID boot keyboard, 1209:0001 ("Hangar Test Keyboard"), full speed, with one
 * interrupt IN endpoint. It answers the control transfers a guest's kernel sends to
 * enumerate it (device, configuration, string and report descriptors, SET_IDLE, ...)
 * with real descriptors, and prints one line per event on standard output:
 *   hello <peer version>
 *   connected
 *   control <bmRequestType> <bRequest> <wValue> <wIndex> <wLength> <status>
 *   set-configuration <n>
 *   interrupt-receiving <endpoint>
 *   closed
 * so a test can see what the guest did. It ends when the stream ends.
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <usbredirparser.h>

#define STREAM_FD 3

static struct usbredirparser *parser;
static GMainLoop *loop;
static guint write_source;
static guint8 configuration;

static const guint8 device_descriptor[] = {
  18, 0x01, 0x00, 0x02,          /* bLength, DEVICE, bcdUSB 2.00 */
  0x00, 0x00, 0x00, 64,          /* class in the interface; ep0 max packet 64 */
  0x09, 0x12, 0x01, 0x00,        /* idVendor 0x1209 (pid.codes), idProduct 0x0001 (test) */
  0x00, 0x01, 1, 2, 3, 1,        /* bcdDevice 1.00, strings 1 2 3, one configuration */
};

static const guint8 report_descriptor[] = {
  0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0x15, 0x00,
  0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01,
  0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01,
  0x75, 0x03, 0x91, 0x01, 0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07,
  0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xc0,
};

static const guint8 config_descriptor[] = {
  9, 0x02, 34, 0, 1, 1, 0, 0xa0, 50,              /* one interface, remote wakeup, 100 mA */
  9, 0x04, 0, 0, 1, 0x03, 0x01, 0x01, 0,          /* HID, boot subclass, keyboard */
  9, 0x21, 0x11, 0x01, 0, 1, 0x22, sizeof report_descriptor, 0,
  7, 0x05, 0x81, 0x03, 8, 0, 10,                  /* EP 1 IN, interrupt, 8 bytes, 10 ms */
};

static const char * const strings[] = { NULL, "Hangar", "Test Keyboard", "HANGAR-0001" };

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static gboolean on_writable (int fd, GIOCondition condition, gpointer data);

static void
flush (void)
{
  if (write_source == 0 && usbredirparser_has_data_to_write (parser))
    write_source = g_unix_fd_add (STREAM_FD, G_IO_OUT, on_writable, NULL);
}

static gboolean
on_writable (int          fd,
             GIOCondition condition,
             gpointer     data)
{
  write_source = 0;
  if (usbredirparser_do_write (parser) < 0)
    {
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  flush ();
  return G_SOURCE_REMOVE;
}

static int
on_read (void    *priv,
         uint8_t *data,
         int      count)
{
  ssize_t n = read (STREAM_FD, data, count);

  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  return n == 0 ? -1 : n;
}

static int
on_write (void    *priv,
          uint8_t *data,
          int      count)
{
  ssize_t n = send (STREAM_FD, data, count, MSG_NOSIGNAL | MSG_DONTWAIT);

  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  return n;
}

static void
on_log (void       *priv,
        int         level,
        const char *message)
{
  if (level <= usbredirparser_warning)
    g_printerr ("usbredirparser: %s\n", message);
}

static void
on_hello (void                          *priv,
          struct usb_redir_hello_header *hello)
{
  struct usb_redir_interface_info_header interfaces = { .interface_count = 1 };
  struct usb_redir_ep_info_header endpoints;
  struct usb_redir_device_connect_header connect = {
    .speed = usb_redir_speed_full, .device_class = 0, .vendor_id = 0x1209,
    .product_id = 0x0001, .device_version_bcd = 0x0100,
  };

  say ("hello %s", hello->version);
  interfaces.interface[0] = 0;
  interfaces.interface_class[0] = 0x03;
  interfaces.interface_subclass[0] = 0x01;
  interfaces.interface_protocol[0] = 0x01;
  usbredirparser_send_interface_info (parser, &interfaces);

  /* Index: the endpoint number, plus 16 for IN. */
  memset (&endpoints, 0, sizeof endpoints);
  memset (endpoints.type, usb_redir_type_invalid, sizeof endpoints.type);
  endpoints.type[0] = endpoints.type[16] = usb_redir_type_control;
  endpoints.max_packet_size[0] = endpoints.max_packet_size[16] = 64;
  endpoints.type[17] = usb_redir_type_interrupt;
  endpoints.interval[17] = 10;
  endpoints.max_packet_size[17] = 8;
  usbredirparser_send_ep_info (parser, &endpoints);

  usbredirparser_send_device_connect (parser, &connect);
  say ("connected");
  flush ();
}

/* The data of an IN request, or NULL for a request this device stalls. */
static GBytes *
answer (const struct usb_redir_control_packet_header *header)
{
  guint8 type = header->value >> 8, index = header->value & 0xff;

  if (header->request == 0x06 && (header->requesttype & 0x7f) == 0x00)   /* GET_DESCRIPTOR */
    {
      if (type == 0x01)
        return g_bytes_new_static (device_descriptor, sizeof device_descriptor);
      if (type == 0x02 && index == 0)
        return g_bytes_new_static (config_descriptor, sizeof config_descriptor);
      if (type == 0x03 && index == 0)
        return g_bytes_new_static ("\x04\x03\x09\x04", 4);                 /* en-US */
      if (type == 0x03 && index < G_N_ELEMENTS (strings))
        {
          GByteArray *out = g_byte_array_new ();
          guint8 head[2] = { 2 + 2 * strlen (strings[index]), 0x03 };

          g_byte_array_append (out, head, 2);
          for (const char *p = strings[index]; *p != '\0'; p++)
            g_byte_array_append (out, (const guint8[]) { (guint8) *p, 0 }, 2);
          return g_byte_array_free_to_bytes (out);
        }
    }
  if (header->request == 0x06 && header->requesttype == 0x81 && type == 0x22)  /* HID report */
    return g_bytes_new_static (report_descriptor, sizeof report_descriptor);
  if (header->request == 0x00)                                               /* GET_STATUS */
    return g_bytes_new_static ("\0\0", 2);
  if (header->request == 0x08 && header->requesttype == 0x80)                /* GET_CONFIGURATION */
    return g_bytes_new (&configuration, 1);
  if (header->request == 0x01 && header->requesttype == 0xa1)                /* HID GET_REPORT */
    return g_bytes_new_static ("\0\0\0\0\0\0\0\0", 8);
  return NULL;
}

static void
on_control (void                                 *priv,
            uint64_t                              id,
            struct usb_redir_control_packet_header *header,
            uint8_t                              *data,
            int                                   data_len)
{
  struct usb_redir_control_packet_header reply = *header;

  if (header->requesttype & 0x80)
    {
      g_autoptr(GBytes) bytes = answer (header);
      gsize size = 0;
      const guint8 *contents = bytes ? g_bytes_get_data (bytes, &size) : NULL;

      reply.status = bytes != NULL ? usb_redir_success : usb_redir_stall;
      reply.length = MIN (size, header->length);
      usbredirparser_send_control_packet (parser, id, &reply, (guint8 *) contents, reply.length);
    }
  else
    {
      /* SET_ADDRESS, SET_CONFIGURATION, SET_IDLE, SET_REPORT (LEDs), SET_PROTOCOL. */
      if (header->request == 0x09 && header->requesttype == 0x00)
        configuration = header->value & 0xff;
      reply.status = usb_redir_success;
      usbredirparser_send_control_packet (parser, id, &reply, NULL, 0);
    }
  say ("control %02x %02x %04x %04x %u %s", header->requesttype, header->request,
       header->value, header->index, header->length,
       reply.status == usb_redir_success ? "ok" : "stall");
  if (data != NULL)
    usbredirparser_free_packet_data (parser, data);
  flush ();
}

static void
on_set_configuration (void                                   *priv,
                      uint64_t                                id,
                      struct usb_redir_set_configuration_header *request)
{
  struct usb_redir_configuration_status_header status = {
    .status = usb_redir_success, .configuration = request->configuration,
  };

  configuration = request->configuration;
  say ("set-configuration %u", request->configuration);
  usbredirparser_send_configuration_status (parser, id, &status);
  flush ();
}

static void
on_get_configuration (void     *priv,
                      uint64_t  id)
{
  struct usb_redir_configuration_status_header status = {
    .status = usb_redir_success, .configuration = configuration,
  };

  usbredirparser_send_configuration_status (parser, id, &status);
  flush ();
}

static void
on_set_alt_setting (void                                  *priv,
                    uint64_t                               id,
                    struct usb_redir_set_alt_setting_header *request)
{
  struct usb_redir_alt_setting_status_header status = {
    .status = request->alt == 0 ? usb_redir_success : usb_redir_inval,
    .interface = request->interface, .alt = 0,
  };

  usbredirparser_send_alt_setting_status (parser, id, &status);
  flush ();
}

static void
on_get_alt_setting (void                                  *priv,
                    uint64_t                               id,
                    struct usb_redir_get_alt_setting_header *request)
{
  struct usb_redir_alt_setting_status_header status = {
    .status = usb_redir_success, .interface = request->interface, .alt = 0,
  };

  usbredirparser_send_alt_setting_status (parser, id, &status);
  flush ();
}

static void
on_start_interrupt (void                                            *priv,
                    uint64_t                                         id,
                    struct usb_redir_start_interrupt_receiving_header *request)
{
  struct usb_redir_interrupt_receiving_status_header status = {
    .status = request->endpoint == 0x81 ? usb_redir_success : usb_redir_inval,
    .endpoint = request->endpoint,
  };

  say ("interrupt-receiving %02x", request->endpoint);
  usbredirparser_send_interrupt_receiving_status (parser, id, &status);
  flush ();
}

static void
on_stop_interrupt (void                                           *priv,
                   uint64_t                                        id,
                   struct usb_redir_stop_interrupt_receiving_header *request)
{
  struct usb_redir_interrupt_receiving_status_header status = {
    .status = usb_redir_success, .endpoint = request->endpoint,
  };

  usbredirparser_send_interrupt_receiving_status (parser, id, &status);
  flush ();
}

static void
on_reset (void *priv)
{
  configuration = 0;
}

static void
on_cancel (void     *priv,
           uint64_t  id)
{
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     data)
{
  int result = usbredirparser_do_read (parser);

  if (result == usbredirparser_read_io_error)
    {
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  flush ();
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  uint32_t caps[USB_REDIR_CAPS_SIZE] = { 0 };

  /* A test that fails leaves no device behind, holding its output open. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_set_fd_nonblocking (STREAM_FD, TRUE, NULL);

  parser = usbredirparser_create ();
  parser->log_func = on_log;
  parser->read_func = on_read;
  parser->write_func = on_write;
  parser->hello_func = on_hello;
  parser->reset_func = on_reset;
  parser->control_packet_func = on_control;
  parser->set_configuration_func = on_set_configuration;
  parser->get_configuration_func = on_get_configuration;
  parser->set_alt_setting_func = on_set_alt_setting;
  parser->get_alt_setting_func = on_get_alt_setting;
  parser->start_interrupt_receiving_func = on_start_interrupt;
  parser->stop_interrupt_receiving_func = on_stop_interrupt;
  parser->cancel_data_packet_func = on_cancel;
  usbredirparser_caps_set_cap (caps, usb_redir_cap_connect_device_version);
  usbredirparser_caps_set_cap (caps, usb_redir_cap_ep_info_max_packet_size);
  usbredirparser_caps_set_cap (caps, usb_redir_cap_64bits_ids);
  /* QEMU gives xHCI ports only to a device side that can do what USB 3 hosts ask. */
  usbredirparser_caps_set_cap (caps, usb_redir_cap_32bits_bulk_length);
  usbredirparser_caps_set_cap (caps, usb_redir_cap_bulk_streams);
  usbredirparser_caps_set_cap (caps, usb_redir_cap_bulk_receiving);
  usbredirparser_init (parser, "hangar-test-usb-device", caps, USB_REDIR_CAPS_SIZE,
                       usbredirparser_fl_usb_host);
  flush ();

  g_unix_fd_add (STREAM_FD, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, NULL);
  g_main_loop_run (loop);
  say ("closed");

  usbredirparser_destroy (parser);
  g_main_loop_unref (loop);
  return 0;
}
