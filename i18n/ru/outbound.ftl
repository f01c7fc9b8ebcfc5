## Application
app-title = Outbound — настройки исходящей почты
window-failed = Не удалось открыть окно: { $reason }
profiles-heading = Профили
profiles-loading = Загрузка профилей…
scope-user = пользовательский
scope-system = системный
scope-read-only = только чтение
profile-disabled = отключён
password-saved = пароль сохранён в связке ключей
password-not-saved = пароль не сохранён

## Validation: each message follows the field's name
invalid-name-empty = нужно указать имя
invalid-name-chars = допустимы только латинские буквы, цифры и _
invalid-mailbox = «{ $value }» — неверный адрес электронной почты
invalid-line-break = перевод строки здесь недопустим
invalid-required = это поле обязательно
invalid-host = «{ $value }» — не имя хоста и не IP-адрес
invalid-port = порт должен быть числом от 1 до 65535
invalid-timeout = тайм-аут должен быть от 1 до 300 секунд
invalid-args = не удаётся разобрать аргументы: { $reason }
invalid-no-recipients = для тестового письма нужен хотя бы один получатель
host-normalised = «{ $pasted }» понято как хост { $host }, порт { $port }, защита { $security }

## Files
doc-syntax = строка { $line }, столбец { $column }: { $message }
doc-syntax-field = строка { $line }, столбец { $column }, поле «{ $field }»: { $message }
doc-missing-format = в файле нет строки «format», это не файл Outbound
doc-newer-format = файл имеет формат { $found } от более новой версии Outbound; эта версия читает формат { $supported }
doc-bad-format = «format» должен быть целым числом
store-no-home = для этого пользователя не известна домашняя папка, настройки негде хранить
store-io = { $path }: { $reason }
store-name-mismatch = { $path }: профиль внутри называется «{ $inner }», а файл — «{ $file }»; переименуйте одно из них
store-not-found = профиля «{ $name }» нет
store-read-only = «{ $name }» — системный профиль, а папка системных профилей для вас только для чтения
store-exists = профиль «{ $name }» уже существует

## Import and export
import-invalid = { $file }, строка { $line }, профиль «{ $profile }»: { $problem }. Ничего не импортировано.
import-duplicate = { $file }, строка { $line }: профиль «{ $name }» встречается в файле дважды. Ничего не импортировано.
import-conflicts = Эти профили уже существуют: { $names }. Ничего не импортировано; выберите --on-conflict skip, replace или rename.
import-added = добавлен { $name }
import-replaced = заменён { $name }
import-renamed = { $from } импортирован как { $to }
import-skipped = пропущен { $name }: он уже существует

## Keyring
keyring-unavailable = Связка ключей недоступна: { $reason }
keyring-denied = Связка ключей отказала в доступе (заблокирована?): { $reason }
keyring-timeout = Связка ключей не ответила за { $seconds } с
keyring-failed = Ошибка связки ключей: { $reason }

## Command line
cli-no-runtime = Не удаётся запуститься: { $reason }
cli-no-profiles = Профилей пока нет.
cli-skipped-file = Не загружен: { $reason }
cli-exported = { $count ->
    [one] Экспортирован { $count } профиль в { $file }
    [few] Экспортировано { $count } профиля в { $file }
   *[many] Экспортировано { $count } профилей в { $file }
}
cli-deleted = Профиль { $name } удалён
cli-password-saved = Пароль профиля { $name } сохранён в связке ключей
cli-password-cleared = Пароль профиля { $name } удалён из связки ключей
cli-password-left = Не удалось удалить пароль из связки ключей: { $reason }
cli-password-env-missing = Переменная окружения { $var } не задана
cli-password-stdin = Не удаётся прочитать пароль со стандартного ввода: { $reason }
cli-password-empty = Пароль пуст

## Command-line help
cli = Настройки исходящей почты: профили, проверки и диагностика. Без команды открывает окно.
cli-profile = Управление профилями отправки
cli-profile-list = Показать профили обеих областей
cli-profile-list--json = Вывод в JSON
cli-profile-show = Показать один профиль
cli-profile-show--name = Имя профиля
cli-profile-show--json = Вывод в JSON
cli-profile-delete = Удалить пользовательский профиль и его сохранённый пароль
cli-profile-delete--name = Имя профиля
cli-profile-export = Экспортировать профили (все, если не названы) в файл, без паролей
cli-profile-export--names = Экспортируемые профили
cli-profile-export--output = Файл для записи
cli-profile-import = Импортировать профили из файла: все или ни одного
cli-profile-import--file = Файл для чтения
cli-profile-import--on-conflict = Что делать с уже существующим именем
cli-profile-import--json = Вывод в JSON
cli-profile-set-password = Сохранить пароль профиля в связке ключей
cli-profile-set-password--name = Имя профиля
cli-profile-set-password--password-stdin = Прочитать пароль со стандартного ввода
cli-profile-set-password--password-env = Прочитать пароль из этой переменной окружения
cli-profile-clear-password = Удалить пароль профиля из связки ключей
cli-profile-clear-password--name = Имя профиля

## Window
unsaved = не сохранено
save = Сохранить
revert = Вернуть
ok = ОК
cancel = Отмена
browse = Обзор…
sidebar-system = СИСТЕМНЫЕ
action-new = Создать
action-duplicate = Копировать
action-delete = Удалить
action-import = Импорт…
action-export = Экспорт…
delete-confirm = Удалить насовсем
nav-preferences = Параметры
tab-delivery = Способ отправки
tab-smtp = SMTP
tab-sendmail = Sendmail
tab-not-used = Профиль отправляет другим способом; эти настройки сохранены на случай, если вы переключитесь обратно.
section-profile = Профиль
section-log = Журнал и ограничения
field-delivery = Отправка
delivery-sendmail = Локальная программа sendmail
delivery-smtp = SMTP-сервер
field-sender-address = Адрес отправителя
field-sender-name = Имя отправителя
field-subject-prefix = Префикс темы
field-name = Системное имя
field-description = Описание
field-enabled = Включён
field-enabled-label = использовать этот профиль для отправки
field-log-level = Журнал
log-full = Всё (пароли скрыты)
log-errors = Только ошибки
log-off = Ничего
field-log-file = Файл журнала
field-log-file-default = по умолчанию: в папке данных приложения
field-daily-limit = Писем в день
invalid-daily = ограничение должно быть целым числом; 0 — без ограничения
field-host = Сервер
field-port = Порт
port-presets = Обычные порты
field-security = Защита
security-none = Нет (открытый текст)
security-starttls = STARTTLS
security-tls = SSL/TLS
field-auth = Аутентификация
auth-none = Нет
auth-auto = Авто (лучший доступный)
field-username = Имя пользователя
field-password = Пароль
password-show = Показать
password-hide = Скрыть
keyring-checking = проверяю связку ключей…
password-unsaved-change = изменён; будет сохранён в связке ключей вместе с профилем
password-session-only = использовать пароль только в этом сеансе
field-auth-domain = Домен (NTLM)
field-ehlo-name = Имя в EHLO
field-ehlo-name-default = по умолчанию: имя этого компьютера
field-certificates = Сертификаты
field-accept-invalid-certs = принимать недействительные сертификаты
warning-invalid-certs = Любой между этим компьютером и сервером сможет читать и менять почту, включая пароли. Только для проверки.
field-timeout = Тайм-аут, с
field-sendmail-path = Программа
field-sendmail-args = Аргументы
sendmail-args-note = Аргументы делятся на слова, как это сделала бы оболочка (кавычки объединяют слова), но оболочка никогда не запускается.
field-language = Язык
language-system = Системный
field-theme = Тема
theme-system = Системная
theme-light = Светлая
theme-dark = Тёмная
field-default-timeout = Тайм-аут новых профилей, с
status-saved = { $name } сохранён.
status-saved-without-password = Профиль сохранён, а пароль — нет: { $reason }
status-created = Создан { $name }.
status-fix-fields = Не сохранено: исправьте поля, отмеченные красным.
status-exported = { $count ->
    [one] Экспортирован { $count } профиль.
    [few] Экспортировано { $count } профиля.
   *[many] Экспортировано { $count } профилей.
}
status-imported = Импортировано: { $count }, пропущено: { $skipped }.
import-conflict-question = Эти профили уже существуют: { $names }. Что сделать с ними при импорте?
import-skip = Оставить мои
import-replace = Заменить
import-rename = Импортировать под новыми именами
path-prompt-no-dialog = Окно выбора файла на этом рабочем столе недоступно; введите путь вручную.
path-prompt-export = Файл для экспорта
path-prompt-import = Файл для импорта

## Check
diag-ok = Проверка пройдена: сервер (или программа) принял каждый шаг.
diag-ok-hint = Исправлять нечего.
diag-dns-failed = Не удалось получить адрес сервера { $host }.
diag-dns-failed-hint = Проверьте написание имени сервера и доступ этого компьютера к DNS-серверам.
diag-connect-refused = Соединение с { $host } на порту { $port } никто не принял.
diag-connect-refused-hint = Проверьте порт: 465 — SSL/TLS, 587 — STARTTLS, 25 — без шифрования. Соединение может отклонять и межсетевой экран.
diag-connect-timeout = Соединение с { $host } на порту { $port } не получило ответа вовремя.
diag-connect-timeout-hint = Вероятно, порт закрыт межсетевым экраном или провайдером (порт 25 часто закрыт); попробуйте 587 или 465.
diag-timeout = Сервер перестал отвечать: ответа нет { $seconds } с.
diag-timeout-hint = Сервер может быть перегружен или соединение фильтруется; повторите позже или увеличьте время ожидания.
diag-tls-handshake-failed = Не удалось установить зашифрованное соединение (TLS).
diag-tls-handshake-failed-hint = Возможно, сервер предлагает только устаревшие версии TLS или шифры; проверьте настройку защиты и протокол обмена.
diag-tls-mode-mismatch = { $found ->
    [plain] Сервер ответил открытым текстом там, где ожидалось шифрование с первого байта (SSL/TLS).
   *[tls] Сервер ждёт шифрования с первого байта (SSL/TLS) и не приветствует открытым текстом.
}
diag-tls-mode-mismatch-hint = Выберите защиту { $security } на порту { $port }.
diag-certificate-untrusted = Сертификат сервера выдан не тем центром, которому доверяет этот компьютер (самоподписанный или неизвестный издатель).
diag-certificate-untrusted-hint = Установите сертификат выдавшего центра или, только для тестового сервера, включите «принимать недействительные сертификаты» (небезопасно для реальной работы).
diag-certificate-expired = Срок действия сертификата сервера истёк (или ещё не начался).
diag-certificate-expired-hint = Администратор сервера должен обновить сертификат; проверьте также часы этого компьютера.
diag-certificate-name-mismatch = Сертификат сервера выдан на другие имена, не на { $host }.
diag-certificate-name-mismatch-hint = Укажите имя сервера из сертификата (см. сведения о сервере), как его приводит провайдер.
diag-starttls-unavailable = Сервер { $host } не предлагает STARTTLS.
diag-starttls-unavailable-hint = Используйте SSL/TLS на порту 465, если сервер его поддерживает; без шифрования — только в доверенной сети.
diag-auth-mechanism-unavailable = Сервер не предлагает способ входа { $wanted }; он предлагает: { $offered }.
diag-auth-mechanism-unavailable-hint = Выберите один из предложенных способов или «Авто». Некоторые серверы предлагают вход только после STARTTLS.
diag-auth-failed = Сервер отклонил вход: неверное имя пользователя или пароль.
diag-auth-failed-hint = Проверьте формат имени пользователя, который ждёт провайдер (часто — весь адрес), и пароль. При двухфакторном входе провайдеру может понадобиться пароль приложения.
diag-app-password-required = Провайдер требует для почтовых программ отдельный пароль приложения.
diag-app-password-required-hint = Создайте пароль приложения в настройках безопасности учётной записи и используйте его вместо обычного пароля.
diag-auth-disabled-by-provider = Провайдер отключил вход по паролю через SMTP для этой учётной записи.
diag-auth-disabled-by-provider-hint = Включите «SMTP с проверкой подлинности» для ящика в центре администрирования провайдера или используйте OAuth2 (XOAUTH2).
diag-sender-rejected = Сервер не разрешает отправлять от имени { $address } с этой учётной записью.
diag-sender-rejected-hint = Адрес отправителя должен совпадать с учётной записью, под которой выполнен вход (или с одним из её разрешённых псевдонимов).
diag-relay-denied = Сервер отказывается передавать письмо дальше (пересылка запрещена).
diag-relay-denied-hint = Включите проверку подлинности: большинство серверов пересылают почту только вошедшим пользователям.
diag-recipient-rejected = Сервер отклонил получателя { $address }.
diag-recipient-rejected-hint = Проверьте адрес получателя; причина — в ответе сервера в протоколе обмена.
diag-message-rejected = Сервер отклонил само письмо.
diag-message-rejected-hint = Причина (размер, содержание, правила) — в ответе сервера; см. протокол обмена.
diag-server-unavailable = Сервер сейчас отказывает в обслуживании (421 или 554).
diag-server-unavailable-hint = Повторите позже; если это повторяется, сервер, возможно, блокирует адрес этого компьютера.
diag-protocol-error = Сервер нарушил порядок обмена SMTP: { $reply }
diag-protocol-error-hint = Возможно, это не SMTP-сервер или соединение обрывает что-то по пути; проверьте сервер, порт и протокол обмена.
diag-sendmail-not-found = Программа sendmail { $path } не существует.
diag-sendmail-not-found-hint = Установите почтовый агент (postfix, exim, msmtp…) или укажите правильный путь.
diag-sendmail-not-executable = { $path } нельзя запустить как программу sendmail.
diag-sendmail-not-executable-hint = Путь должен вести к исполняемому файлу; проверьте права доступа.
diag-sendmail-failed = Программа sendmail завершилась с ошибкой: { $reply }
diag-sendmail-failed-hint = Прочитайте её вывод ошибок в протоколе обмена; подробности обычно есть в журнале самой программы.
diag-keyring-unavailable = Не удалось прочитать пароль из связки ключей: { $reply }
diag-keyring-unavailable-hint = Разблокируйте связку ключей или передайте пароль через --password-stdin или --password-env.
diag-cancelled = Проверка отменена.
diag-cancelled-hint = Запустите её снова, когда будете готовы.
check-status-ok = успех
check-status-warning = внимание
check-status-failed = ОШИБКА
check-status-skipped = пропущен
check-test-subject = Тестовое письмо Outbound
check-test-body = Это тестовое письмо, отправленное Outbound для проверки профиля { $profile } через { $route } в { $time }.
check-message-bad-sender = Адрес отправителя { $address } не является почтовым ящиком
check-message-bad-recipient = Получатель { $address } не является почтовым ящиком
check-message-no-recipients = Для тестового письма не указаны получатели
check-message-build = Не удалось составить тестовое письмо: { $reason }
check-info-resolving = поиск адреса { $host }
check-info-connecting = соединение с { $address }
check-info-tls-start = начало TLS
check-info-message = письмо размером { $bytes } байт
check-detail-no-address = адрес не найден
check-detail-accepted-invalid = сертификат принят, хотя он недействителен ({ $reason }), потому что включено «принимать недействительные сертификаты»
check-detail-speaks-tls = порт отвечает на приветствие TLS
check-detail-no-starttls = STARTTLS нет среди ключевых слов EHLO сервера
check-detail-starttls-injection = сервер прислал данные после ответа на STARTTLS
check-detail-timed-out = нет ответа в течение { $seconds } с
check-detail-closed = сервер закрыл соединение
check-detail-too-long = строка ответа длиннее { $limit } байт
check-detail-too-many-lines = ответ со слишком большим числом строк
check-detail-malformed = это не ответ SMTP: { $line }
check-detail-bad-challenge = запрос CRAM-MD5 не в кодировке base64
check-detail-auth-plaintext = пароль передан без шифрования
check-detail-auth-ntlm-clear = ответ NTLM передан без шифрования: перехвативший его может подбирать пароль офлайн
check-detail-abandoned = письмо брошено: соединение закрыто до конца письма, поэтому ничего не доставлено
check-detail-not-regular = не обычный файл
check-detail-not-executable = нет права на выполнение
check-cert-trusted = доверенный
check-cert-untrusted = недоверенный издатель
check-cert-expired = истёк срок действия
check-cert-not-yet-valid = ещё не действует
check-cert-name-mismatch = выдан на другие имена
check-limit-reached = Отправка запрещена: профиль { $name } исчерпал дневной лимит в { $limit } писем (сутки считаются по UTC).
check-limit-io = Не удалось обновить счётчик отправленных писем в { $path }: { $reason }
cli-check-bad-host = Это не имя и не адрес сервера: { $host }
cli-check-no-recipients = Для отправки нужны получатели: укажите --to или тестовых получателей в профиле
cli-check-no-sender = Для отправки нужен адрес отправителя: укажите --from или отправителя в профиле
cli-check-hint = Совет: { $hint }
cli-check-log-failed = Не удалось записать журнал { $file }: { $reason }
cli-check = Проверить профиль (или сервер, или программу sendmail) шаг за шагом
cli-check--profile = Сохранённый профиль для проверки (пароль берётся из связки ключей)
cli-check--host = SMTP-сервер для проверки без сохранённого профиля
cli-check--port = Порт (по умолчанию по защите: 465, 587 или 25)
cli-check--security = Защита соединения
cli-check--auth = Способ входа
cli-check--user = Имя пользователя для входа
cli-check--password-stdin = Прочитать пароль со стандартного ввода
cli-check--password-env = Прочитать пароль из этой переменной окружения
cli-check--from = Адрес отправителя
cli-check--to = Получатели тестового письма через запятую
cli-check--send = Отправить тестовое письмо
cli-check--timeout = Сколько секунд может длиться каждый сетевой шаг
cli-check--accept-invalid-certs = Принять недействительный сертификат (с предупреждением)
cli-check--sendmail = Программа sendmail для проверки
cli-check--args = Аргументы программы sendmail
cli-check--json = Вывести JSON

## Directory and discovery
provider-bad-id = { $provider }: идентификатор должен состоять из 1–64 символов a–z, 0–9, «-» и «.»
provider-no-name = { $provider }: название не заполнено
provider-bad-host = { $provider }: { $field } — не имя сервера
provider-bad-port = { $provider }: { $field } — не номер порта
provider-no-domains = { $provider }: не указаны ни почтовые домены, ни суффиксы MX
provider-domain-twice = { $provider }: домен указан дважды
provider-bad-domain = { $provider }: в { $field } указано что-то, что не является доменом
provider-bad-url = { $provider }: { $field } должен быть адресом https://
provider-no-scopes = { $provider }: для OAuth2 нужна хотя бы одна область доступа (scope)
directory-in-use = Провайдер { $id } используется этими профилями, поэтому он сохранён: { $profiles }
directory-not-found = Нет провайдера с идентификатором { $id }
directory-not-bundled = Провайдера { $id } нет во встроенном справочнике, сбрасывать не к чему
directory-damaged = Ваш файл справочника повреждён; исправьте или удалите его, прежде чем менять справочник: { $reason }
directory-user-file-skipped = Ваши собственные записи справочника не используются: { $reason }
directory-origin-bundled = встроенный
directory-origin-user = добавлен вами
directory-origin-override = изменён вами
directory-domain-count = { $count ->
    [one] { $count } домен
    [few] { $count } домена
   *[other] { $count } доменов
}
directory-lookup-none = Ни один провайдер справочника не обслуживает { $domain }
directory-imported = Провайдер { $id } ({ $name }) импортирован в ваш справочник
directory-exported = { $count ->
    [one] Записан { $count } провайдер
    [few] Записано { $count } провайдера
   *[other] Записано { $count } провайдеров
} в { $file }
directory-deleted = Провайдер { $id } удалён из вашего справочника
directory-reset-done = Провайдер { $id } снова такой, как во встроенном справочнике
directory-file-error = { $file }: { $reason }
autoconfig-too-large = Размер файла { $size } байт; файлы автонастройки больше { $limit } байт не принимаются
autoconfig-dtd = Строка { $line }: объявления типа документа (DTD) не принимаются, чтобы никакая сущность не могла раскрыться
autoconfig-xml = Строка { $line }, столбец { $column }: некорректный XML: { $message }
autoconfig-wrong-root = Строка { $line }: корневой элемент — <{ $found }>, а не <clientConfig>
autoconfig-no-provider = Строка { $line }: в <clientConfig> нет <emailProvider>
autoconfig-no-smtp = Строка { $line }: у провайдера нет исходящего сервера SMTP
autoconfig-no-usable-smtp = Ни один SMTP-сервер из файла нельзя использовать: { $reasons }
autoconfig-no-domain = Строка { $line }: провайдер не называет ни одного пригодного почтового домена
autoconfig-invalid = Импортированный провайдер некорректен: { $issues }
source-user-directory = ваш справочник
source-bundled-directory = встроенный справочник
source-autoconfig-https = автонастройка (HTTPS)
source-autoconfig-well-known = автонастройка (.well-known)
source-srv-submissions = DNS SRV _submissions
source-srv-submission = DNS SRV _submission
source-mx = записи MX
source-autoconfig-http = автонастройка (незащищённый HTTP)
source-probe = проба
detect-found = { $host }:{ $port } { $security }, источник: { $source }
detect-provider = Провайдер: { $name }; имя пользователя: { $login }; вход: { $auth }
detect-insecure = Внимание: ответ получен по незащищённому HTTP, и его мог подменить любой на пути в сети
detect-none = Для { $domain } настройки не найдены
detect-status-answered = ответил
detect-status-failed = ошибка
detect-status-cancelled = отменён: ответил источник с более высоким приоритетом
detect-status-timed-out = не ответил вовремя
detect-probe-header = Проба ({ $ms } мс):
detect-probe-winner = ответ:
detect-bad-address = { $address } — не адрес электронной почты
cli-directory = Справочник провайдеров и доменов
cli-directory-list = Показать провайдеров справочника
cli-directory-list--json = Вывести JSON
cli-directory-show = Показать одного провайдера
cli-directory-show--id = Идентификатор провайдера
cli-directory-show--json = Вывести JSON
cli-directory-lookup = Найти провайдера, обслуживающего почтовый домен
cli-directory-lookup--domain = Почтовый домен (можно и национальный)
cli-directory-lookup--json = Вывести JSON
cli-directory-import-autoconfig = Импортировать файл автонастройки Thunderbird (clientConfig 1.1) в ваш справочник
cli-directory-import-autoconfig--file = XML-файл автонастройки
cli-directory-import-autoconfig--json = Вывести JSON
cli-directory-export = Экспортировать справочник в файл
cli-directory-export--output = Файл для записи
cli-directory-export--autoconfig = Вместо этого записать этого провайдера как файл автонастройки Thunderbird
cli-directory-delete = Удалить провайдера (встроенный скрывается); пока его используют профили, удаление запрещено
cli-directory-delete--id = Идентификатор провайдера
cli-directory-reset = Вернуть встроенного провайдера к исходному виду
cli-directory-reset--id = Идентификатор провайдера
cli-detect = Найти настройки исходящей почты для адреса электронной почты
cli-detect--address = Адрес электронной почты
cli-detect--probe = Также проверить обычные серверы и порты напрямую (только EHLO и QUIT, никогда не пароль)
cli-detect--json = Вывести JSON
probe-lost-ranked-below = ответил, но стоит ниже победителя
probe-lost-no-address = нет адреса: { $reason }
probe-lost-refused = в соединении отказано: { $reason }
probe-lost-timeout = не ответил за отведённое время
probe-lost-grace = всё ещё молчал через { $ms } мс после ответа кандидата ниже по списку
probe-lost-cancelled = остановлен: уже ответил кандидат выше по списку
probe-no-resolver = нет доступного DNS-резолвера
probe-tls-failed = не удалось установить TLS: { $reason }
probe-no-starttls = сервер не предлагает STARTTLS
probe-rejected = на { $step } сервер ответил { $code } { $text }
probe-closed = сервер закрыл соединение
probe-line-too-long = строка ответа длиннее { $limit } байт: это не SMTP-сервер
probe-not-smtp = это не ответ SMTP: { $text }
probe-too-many-lines = ответ длиннее { $limit } строк
discover-not-in-directory = домена нет в справочнике
discover-only-bundled = домен есть во встроенном справочнике, а не в вашем
discover-user-answers = для этого домена отвечает ваш справочник
discover-lookup-stopped = DNS-запрос прерван
discover-no-service = домен сообщает, что такой службы у него нет (цель «.»)
discover-no-records = такой записи нет
discover-mx-unknown = MX-серверы { $hosts } не подходят ни одному провайдеру
discover-redirect-downgrade = адрес HTTPS перенаправил на незащищённый HTTP, это не принимается

## Packaging
cli-completions = Вывести сценарий автодополнения для командной оболочки (для сборщиков пакетов)
cli-completions--shell = Оболочка, для которой нужно автодополнение
cli-man = Вывести страницу руководства в формате roff (для сборщиков пакетов)
generate-write-failed = Не удалось записать в стандартный вывод: { $reason }
man-manual = Руководство Outbound
man-section-name = ИМЯ
man-section-synopsis = ОБЗОР
man-section-description = ОПИСАНИЕ
man-section-options = ПАРАМЕТРЫ
man-section-commands = КОМАНДЫ
man-section-exit-status = КОД ЗАВЕРШЕНИЯ
man-section-environment = ОКРУЖЕНИЕ
man-section-files = ФАЙЛЫ
man-section-secrets = ПАРОЛИ
man-exit-0 = Успешное завершение.
man-exit-1 = Проверка или поиск обнаружили проблему.
man-exit-2 = Неверный вызов, неверные входные данные или проблема окружения (например, недоступна связка ключей); сообщение выводится в стандартный поток ошибок.
man-env-lang = Язык интерфейса, ru или en; если не задан, язык определяется по системной локали.
man-env-log = Что записывать в стандартный поток ошибок: уровень, например debug, или источники с уровнями, например outbound=debug,zbus=info; по умолчанию warn.
man-env-system-dir = Заменяет папку системных профилей /etc/outbound/profiles.
man-env-config-home = Основная папка пользовательских настроек; профили хранятся в ней, в outbound/profiles.
man-file-user-profiles = Профили пользователя, по одному файлу TOML на профиль, права 0600.
man-file-system-profiles = Профили, которые администратор выдаёт всем пользователям компьютера; только для чтения, если нет прав на запись.
man-secrets = Пароли никогда не записываются в файлы: они хранятся в системной связке ключей (Secret Service в Linux) под службой outbound и пользователем profile:ИМЯ.
man-section-system-sendmail = SENDMAIL СИСТЕМЫ
man-sendmail-switch = Пакеты .deb и .rpm устанавливают /usr/bin/outbound-sendmail — ссылку на outbound, которая работает как outbound send, — и регистрируют её в системе альтернатив для /usr/sbin/sendmail с низким приоритетом (5), чтобы не вытеснить установленный почтовый сервер. Чтобы почта компьютера шла через Outbound, выберите его:
man-sendmail-mta = Собственный файл /usr/sbin/sendmail пакета MTA (postfix, exim, sendmail) не является альтернативой и имеет приоритет: update-alternatives оставляет его на месте с предупреждением, пока этот пакет не удалён; после удаления команда выше делает Outbound системным sendmail. В Fedora группа называется mta:
man-sendmail-php = Функция mail() в PHP может отправлять через Outbound, не меняя системный sendmail: задайте sendmail_path в php.ini. Письмо идёт через профиль, чей адрес отправителя или дополнительные отправители совпадают с отправителем конверта (-f) или From, иначе через профиль по умолчанию.
man-sendmail-cron = cron отправляет вывод задания через /usr/sbin/sendmail -t -i, поэтому, когда Outbound стал системным sendmail, письмо идёт через профиль, совпадающий с отправителем cron (обычно root@ИМЯ_КОМПЬЮТЕРА), или через профиль по умолчанию. Получатель задаётся в crontab:

## Window: Check tab
tab-check = Проверка
field-recipients = Тестовые получатели
check-send-message = отправить тестовое письмо
check-start = Проверить
check-running = Проверка…
check-cancelled = Проверка отменена, соединение закрыто.
check-needs-sender = для тестового письма нужен адрес отправителя
check-show-facts = Сведения о сервере
check-hide-facts = Скрыть сведения о сервере
check-copy-log = Копировать журнал
check-save-log = Сохранить журнал…
check-apply = Применить
check-transcript = Протокол (пароли скрыты)
facts-address = Адрес
facts-greeting = Приветствие
facts-extensions = Расширения
facts-auth = Способы входа
facts-size = Наибольшее письмо, байт
facts-program = Программа
facts-mta = Почтовая система
facts-tls = TLS
facts-verification = Сертификат
facts-subject = Субъект
facts-issuer = Издатель
facts-valid = Действителен
facts-names = Имена
facts-fingerprint = SHA-256
status-log-saved = Журнал сохранён в { $file }.
path-prompt-log = Файл для журнала

## Window: Detect
field-address = Адрес электронной почты
window-detect = Определить
window-detect-running = Ищу настройки…
window-detect-found = { $name }: { $host }, порт { $port }, { $security } — источник: { $source }
window-detect-ignore = Не применять
window-detect-nothing = Для этого домена настройки не найдены; укажите сервер вручную.

## Window: Providers & domains
nav-directory = Провайдеры и домены
login-email = адрес целиком
login-local-part = часть до @
login-manual = вводит пользователь
provider-auth-password = пароль
provider-auth-encrypted = пароль, зашифрованный (CRAM-MD5)
directory-search = Поиск по имени или домену
directory-import = Импорт autoconfig…
directory-export = Экспорт autoconfig…
directory-reset = Вернуть как в поставке
directory-choose = Выберите провайдера в списке или добавьте нового.
directory-new = Новый провайдер
directory-add-domain = Добавить
directory-saved = Провайдер { $id } сохранён в вашем справочнике.
provider-id = Идентификатор
provider-name = Название
provider-smtp = SMTP-сервер
provider-imap = IMAP-сервер
provider-login = Имя пользователя
provider-client-id = Идентификатор клиента
provider-auth-url = Адрес авторизации
provider-token-url = Адрес получения токена
provider-scopes = Области доступа
provider-domains = Почтовые домены
path-prompt-autoconfig = Файл autoconfig

## Window: Sendmail
sendmail-found = { $path }
sendmail-found-mta = { $path } — { $mta }

## Export and import with providers
import-invalid-provider = { $file }, строка { $line }, провайдер «{ $provider }»: { $problem }. Ничего не импортировано.
import-duplicate-provider = { $file }, строка { $line }: провайдер «{ $id }» встречается в файле дважды. Ничего не импортировано.
import-provider = провайдер { $id } внесён в ваш справочник
cli-exported-providers = { $count ->
    [one] вместе с { $count } провайдером вашего справочника, которым они пользуются
    [few] вместе с { $count } провайдерами вашего справочника, которыми они пользуются
    [many] вместе с { $count } провайдерами вашего справочника, которыми они пользуются
   *[other] вместе с { $count } провайдерами вашего справочника, которыми они пользуются
}
status-imported-providers = Провайдеры, внесённые в ваш справочник: { $ids }.

# --- journal (issue 17) ---
journal-waiting = Другой экземпляр Outbound сохраняет изменения… ожидаю, пока он закончит.
journal-busy = Другой экземпляр Outbound держал папку настроек заблокированной ({ $path }) { $seconds } с, поэтому ничего не изменено. Повторите, когда он закончит.
journal-damaged = Не удаётся прочитать запись о незавершённом изменении { $path } ({ $reason }). Ничего не изменено; чтобы продолжить, уберите этот файл.
journal-keyring-failed = Прерванное изменение профиля { $name } не удалось завершить в связке ключей: { $reason }
cli-renamed = Профиль { $old } переименован в { $new }
cli-password-not-moved = Не удалось перенести пароль под новое имя в связке ключей: { $reason }
cli-profile-rename = Переименовать профиль; сохранённый пароль переносится вместе с ним
cli-profile-rename--old = Текущее имя профиля
cli-profile-rename--new = Новое имя
# --- files and secrets (issue 11) ---
invalid-log-file-relative = файл журнала нужно указать полным путём (например, /home/you/outbound.log)
invalid-log-file-directory = файл журнала — это папка; укажите путь к файлу в ней
invalid-log-file-symlink = файл журнала — символическая ссылка, по ней запись не ведётся; укажите путь к самому файлу
invalid-log-file-special = файл журнала — устройство, FIFO или сокет, а не обычный файл
invalid-sender-pattern = не отправитель: { $value } (пишите Имя <адрес>, адрес или *@домен)
invalid-folder = имя папки не может быть пустым
log-file-refused = Журнал { $file } не записан: { $problem }. Исправьте «log.file» в профиле.
check-limit-damaged = Отправка запрещена: счётчик отправленных писем в { $path } повреждён ({ $reason }), поэтому дневной лимит соблюсти нельзя. Удалите файл (счёт за сегодня начнётся с 0) или исправьте его и повторите.
check-profile-disabled = Отправка запрещена: профиль { $name } отключён. Включите его и сохраните, чтобы отправлять через него; проверка без отправки по-прежнему возможна.
# --- check engine (issue 11) ---
diag-connect-unreachable = Нет пути до { $host } (порт { $port }): сеть или узел недоступны.
diag-connect-unreachable-hint = Проверьте подключение этого компьютера к сети. Частые причины: адрес IPv6 без работающего IPv6, VPN или правило межсетевого экрана, отвергающее маршрут.
diag-connection-reset = Соединение с { $host } на порту { $port } было сброшено.
diag-connection-reset-hint = Соединение оборвал кто-то по пути: межсетевой экран, почтовый фильтр антивируса или ограничение сервера на число соединений. Попробуйте позже или другой порт (465 или 587).
diag-plaintext-auth-refused = Соединение не зашифровано, а сервер предлагает только способы входа, передающие пароль в открытом виде ({ $offered }), поэтому в режиме «Авто» вход не выполнялся.
diag-plaintext-auth-refused-hint = { $starttls ->
    [yes] Сервер предлагает STARTTLS: выберите шифрование STARTTLS на порту { $port }.
   *[no] Используйте SSL/TLS (порт 465) или STARTTLS (порт 587). Только в доверенной сети выбирайте PLAIN или LOGIN явно.
}
diag-smtputf8-unsupported = В адресе { $address } есть символы не из ASCII, а сервер не поддерживает SMTPUTF8, без которого такой адрес не передать.
diag-smtputf8-unsupported-hint = Используйте адрес из латинских букв (попросите его у получателя) или сервер с поддержкой SMTPUTF8.
# --- command line (issue 11) ---
cli-directory-bad-domain = Это не доменное имя: { $domain }
diag-profile-disabled = Отправка запрещена: профиль { $name } отключён.
diag-profile-disabled-hint = Отключённый профиль хранится, но для отправки не используется. Включите его и сохраните, чтобы отправлять через него; проверка без отправки работает.
diag-limit-reached = Отправка запрещена: профиль { $name } исчерпал дневной лимит в { $limit } писем (сутки считаются по UTC).
diag-limit-reached-hint = Ничего не отправлено. Отправьте снова завтра (по UTC) или увеличьте дневной лимит профиля; проверка без отправки по-прежнему доступна.
diag-cannot-start = Проверку не удалось начать: { $reply }
diag-cannot-start-hint = Исправьте командную строку или окружение, как сказано в сообщении; все параметры перечислены в outbound check --help.
man-exit-130 = Проверка прервана (Ctrl+C); с --json диагноз — «cancelled».
# --- pages (issue 11) ---
cli-check--confirm-sendmail = Запустить импортированную команду sendmail профиля, ещё не подтверждённую, и доверять ей впредь
trust-cli-unconfirmed = Профиль { $name } импортирован с командой sendmail «{ $command }», которая на этом компьютере ещё не запускалась. Прочитайте её; если её можно запускать, проверьте снова так: outbound check --profile { $name } --confirm-sendmail
check-confirm-title = Запустить импортированную команду sendmail?
check-confirm-intro = Этот профиль импортирован, и его проверка запускает программу ниже с этими аргументами. На этом компьютере её ещё никто не запускал: запускайте, только если доверяете ей.
check-confirm-program = Программа
check-confirm-argument = Аргумент { $number }
check-confirm-no-arguments = без аргументов
check-confirm-run = Запустить
check-confirm-failed = Не удалось записать подтверждение: { $reason }
directory-draft-changed = Этот провайдер изменён в другом месте, пока вы его редактировали; ваши несохранённые изменения сохранены в редакторе. «Сохранить» запишет их поверх сохранённой версии.
directory-draft-vanished = Этого провайдера больше нет в справочнике; ваши несохранённые изменения сохранены в редакторе. «Сохранить» добавит его снова.
sendmail-args-password = Пароль, записанный в аргументах (например, -ap или --passwd у ssmtp), хранится в файле профиля открытым текстом. Храните пароли в связке ключей: выберите доставку через SMTP или защищённую настройку самой программы sendmail.
# --- window (issue 11) ---
quit-unsaved-question = В этих профилях есть несохранённые изменения: { $names }. Сохранить их перед выходом?
quit-save = Сохранить и выйти
quit-discard = Выйти без сохранения
quit-saving = Сохранение…
quit-save-failed = Профиль { $name } не удалось сохранить, поэтому окно остаётся открытым: { $reason }
# --- delivery page, sendmail, msmtp (issue 12, wt-sendui) ---
cli-profile-msmtprc = Записать конфигурацию msmtp: по учётной записи на каждый SMTP-профиль, профиль по умолчанию — как default в msmtp, пароли читает из связки ключей passwordeval
cli-profile-msmtprc--output = Файл для записи (права 0600); без него конфигурация выводится на экран
cli-profile-password = Вывести пароль профиля из связки ключей в стандартный вывод — для passwordeval в msmtp; в терминал только с --force
cli-profile-password--name = Имя профиля
cli-profile-password--force = Вывести пароль, даже если стандартный вывод — терминал
cli-password-terminal = Пароль не выведен: стандартный вывод — терминал, где его увидят. Эта команда для программ (passwordeval в msmtp); добавьте --force, чтобы всё же показать его.
cli-password-none = Пароль профиля { $name } в связке ключей не сохранён.
cli-msmtprc-left-out = Для { $name } учётная запись msmtp не создана (это не включённый SMTP-профиль, имя повторяется или значение нельзя записать для msmtp).
cli-msmtprc-written = { $count ->
    [one] Конфигурация msmtp с { $count } учётной записью записана в { $file }
    [few] Конфигурация msmtp с { $count } учётными записями записана в { $file }
   *[many] Конфигурация msmtp с { $count } учётными записями записана в { $file }
}
section-senders = Отправители
field-senders = Другие отправители
senders-none = Только адрес отправителя выше.
senders-placeholder = Магазин <shop@example.org> или *@example.org
senders-add = Добавить
senders-remove = Убрать
senders-help = outbound send отправляет через этот профиль письма, у которых отправитель конверта или From — один из этих (с учётом plus-адресов): Имя <адрес>, адрес или *@домен для всех адресов домена.
field-default-profile = Профиль по умолчанию
default-profile-label = Отправлять через этот профиль письма всех остальных отправителей
default-profile-other = Сейчас профиль по умолчанию — { $name }.
status-default-set = { $name } теперь профиль по умолчанию.
status-default-cleared = { $name } больше не профиль по умолчанию; письма отправителей, которых нет ни в одном профиле, будут отклоняться.
section-machine = sendmail этого компьютера
mta-looking = Смотрим, что такое /usr/sbin/sendmail…
mta-none = Программы sendmail нет (/usr/sbin/sendmail и /usr/lib/sendmail отсутствуют): программы, отправляющие через неё почту, получат ошибку.
mta-found = { $path } — { $kind ->
    [outbound] Outbound: программы, отправляющие почту через sendmail, используют эти профили.
    [postfix] Postfix.
    [exim] Exim.
    [msmtp] msmtp.
    [ssmtp] ssmtp.
    [nullmailer] nullmailer.
   *[other] другая программа.
}
mta-via = ({ $program })
mta-alternatives = Выбран через альтернативы Debian: переключается командой update-alternatives --config sendmail.
mta-switch = Пакеты Outbound регистрируют /usr/bin/outbound-sendmail как альтернативу с низким приоритетом для /usr/sbin/sendmail. Чтобы почта компьютера шла через Outbound, выполните: sudo update-alternatives --set sendmail /usr/bin/outbound-sendmail (в Fedora: sudo alternatives --set mta /usr/bin/outbound-sendmail). Собственный файл /usr/sbin/sendmail установленного почтового сервера (postfix, exim) имеет приоритет, пока пакет этого сервера не удалён.
msmtp-write = Записать конфигурацию msmtp…
msmtp-help = Для компьютеров, где остаётся msmtp: по учётной записи на каждый включённый SMTP-профиль, профиль по умолчанию — как default в msmtp. Пароль msmtp спрашивает у Outbound (passwordeval), поэтому ни один пароль не записывается.
path-prompt-msmtprc = Файл для конфигурации msmtp (например, ~/.msmtprc)

## outbound send (issue 12, wt-send)
check-detail-too-big = в письме { $size } байт, больше предела сервера в { $limit }
send-route-unknown = Профиля с именем { $name } нет.
send-route-disabled = Профиль { $name } отключён, через него ничего не отправляется.
send-route-no-match = Ни один включённый профиль не отправляет от { $sender } (отправитель конверта) или { $from } (From), и профиль по умолчанию не выбран. Добавьте адрес в отправителей профиля или выберите профиль по умолчанию.
cli-send = Отправляет письмо со стандартного ввода, как sendmail (-t, -i, -f, -F, -r, -N, -R, --profile ИМЯ); профиль выбирается по отправителю. При временной ошибке (4xx, тайм-аут, нет соединения) письмо ставится в очередь, код выхода 0; --queue (-odq, -odd) только ставит его в очередь; -q (--flush) вместо чтения письма отправляет всю очередь
cli-send--args = параметры sendmail и получатели
send-args-unknown = неизвестный параметр { $option } (понятны параметры sendmail -t, -i, -oi, -f, -F, -r, -N, -R и --profile ИМЯ)
send-args-missing = параметру { $option } нужно значение
send-args-bad-value = { $value } — недопустимое значение для { $option }
send-args-mode = режим { $mode } не поддерживается: поддерживается только отправка письма со стандартного ввода
send-prepare-empty = письмо на стандартном вводе пустое
send-prepare-no-recipients = у письма нет получателей: укажите их аргументами или используйте -t, чтобы взять их из To, Cc и Bcc
send-prepare-bad-address = { $address } — не адрес
send-read-failed = не удалось прочитать письмо со стандартного ввода: { $reason }
send-keyring-failed = не удалось прочитать пароль профиля из связки ключей: { $reason }
send-not-sent = письмо не отправлено: { $reason }
send-queued = поставлено в очередь под номером { $id }
send-queued-after = поставлено в очередь под номером { $id }, будет отправлено позже: { $reason }
send-limit-refused = { $reason } Письмо отклонено и в очередь не поставлено (в профиле задано limits.over = refuse).

## --- Очередь (issue 12, wt-queue) ---
queue-error-io = Очередь почты в { $path }: { $reason }
queue-error-damaged = Письмо в очереди { $path } повреждено: { $reason }
queue-error-not-found = В очереди нет письма { $id }.
queue-error-busy = Письмо { $id } из очереди сейчас отправляется; повторите чуть позже.
queue-error-bad-id = «{ $id }» — не номер письма в очереди (см. outbound queue list).
queue-uncertain = Отправка этого письма была прервана: возможно, оно уже доставлено. Оно сохранено и само повторно не отправляется: outbound queue flush --retry-uncertain отправит его, outbound queue delete удалит.
queue-gave-up = Не доставлено за { $days } дн.; отправка прекращена. Последняя ошибка: { $reason }
queue-no-profile = Профиля { $name } больше нет.
queue-no-outcome = Доставка завершилась без результата для этого письма.
cli-queue = Письма, отложенные командой outbound send для доставки позже
cli-queue-list = Показывает письма в очереди
cli-queue-list--json = Выводит массив JSON
cli-queue-flush = Отправляет письма из очереди сейчас, одно соединение на профиль
cli-queue-flush--due = Только письма, для которых настало время следующей попытки
cli-queue-flush--retry-uncertain = Отправляет и письма, которые прерванная отправка могла уже доставить
cli-queue-flush--json = Выводит итог в JSON
cli-queue-delete = Удаляет одно письмо из очереди
cli-queue-delete--id = Номер письма, как его показывает outbound queue list
cli-queue-purge = Удаляет все письма из очереди
cli-queue-empty = Очередь пуста.
cli-queue-attempts = попыток
cli-queue-next = следующая
cli-queue-uncertain-tag = возможно, доставлено
cli-queue-deleted = Письмо { $id } удалено из очереди.
cli-queue-purged = Удалено писем из очереди: { $count }.
cli-queue-flushed = Отправлено { $sent }, отложено { $deferred }, не доставлено { $failed }, возможно доставлено { $uncertain }.
section-queue = Очередь
queue-looking = Смотрим очередь…
queue-waiting = { $count ->
    [0] Писем этого профиля в очереди нет.
    [one] В очереди { $count } письмо этого профиля.
    [few] В очереди { $count } письма этого профиля.
   *[many] В очереди { $count } писем этого профиля.
}
queue-flush = Отправить сейчас
queue-delete = Удалить
queue-item-facts = { $size } байт, попыток: { $attempts }, следующая { $next }
queue-last-error = Последняя ошибка: { $error }
queue-ui-uncertain = Отправка этого письма была прервана: возможно, оно уже доставлено.
queue-deleted = Письмо { $id } удалено из очереди.
# --- round trip and the Incoming tab (issue 14, wt-roundtrip) ---
tab-incoming = Входящая
incoming-user-default = имя пользователя SMTP ({ $user })
incoming-separate-password = Отдельный пароль для IMAP
incoming-password-shared = Для входа используется пароль SMTP.
incoming-ntlm-domain = NTLM берёт домен из имени пользователя (ДОМЕН\пользователь или пользователь@домен), иначе из поля «Домен (NTLM)» на вкладке SMTP.
incoming-gssapi-ticket = Kerberos входит по вашему билету Windows (Kerberos) для imap/СЕРВЕР: пароль не передаётся. Если билета нет, выполните kinit или войдите в домен.
incoming-password-session = Этот пароль хранится только до конца сеанса.
incoming-folder = Папка
incoming-check = Проверить входящую
roundtrip-start = Круговая проверка
roundtrip-needs = Для круговой проверки нужны адрес отправителя, сервер SMTP и сервер IMAP (вкладка «Входящая»). Письмо уходит получателю, указанному выше, если он один, иначе — на адрес отправителя.
roundtrip-title = Круговая проверка
roundtrip-waiting = Ждём письмо… { $seconds } с
roundtrip-cancelled = Круговая проверка отменена; оба соединения закрыты.
roundtrip-path = Путь доставки
roundtrip-seconds = { $value } с
roundtrip-milliseconds = { $value } мс
roundtrip-to = Отправлено на
roundtrip-token = Метка
roundtrip-submitted = Принято сервером
roundtrip-arrived = Появилось в ящике
roundtrip-delay = Задержка
roundtrip-folder = Папка
roundtrip-cleanup = Тестовое письмо
roundtrip-deleted = удалено
roundtrip-kept = оставлено в ящике
roundtrip-delete-failed = не удалось удалить
roundtrip-hop = { $number }. { $from } → { $by } { $with }  { $delay }
roundtrip-node-sent = отправлено
roundtrip-node-seen = получено
diag-not-delivered = Тестовое письмо не пришло на { $address } за { $seconds } с.
diag-not-delivered-hint = Сервер его принял, значит, оно потерялось или задержалось дальше: проверьте адрес, папку «Спам» и фильтры провайдера или подождите дольше с --wait. Письмо на другой домен здесь видно, только если ящик этого домена и есть ящик профиля.
diag-delivered-to-spam = Тестовое письмо пришло, но в папку спама { $folder }.
diag-delivered-to-spam-hint = Получатели оценивают отправителя: опубликуйте SPF и DKIM для домена отправителя (см. вердикты Authentication-Results), отправляйте через сервер самого провайдера и отметьте письмо как «не спам».
check-detail-folders = INBOX и { $junk }
check-detail-folders-no-junk = только INBOX (папка спама не найдена)
check-detail-arrived = пришло в { $folder } (UID { $uid })
check-detail-not-arrived = не пришло за { $seconds } с
check-detail-fetched = узлов Received: { $hops }, вердиктов: { $verdicts }
check-detail-deleted = удалено
check-detail-kept = оставлено (--keep)
cli-roundtrip = Отправить помеченное тестовое письмо через SMTP-сервер профиля и дождаться его в ящике IMAP
cli-roundtrip--profile = Сохранённый профиль (пароли — из связки ключей)
cli-roundtrip--to = Отправить на этот адрес вместо адреса отправителя профиля
cli-roundtrip--wait = Сколько ждать письмо, в секундах (по умолчанию 120)
cli-roundtrip--keep = Оставить тестовое письмо в ящике, а не удалять
cli-roundtrip--json = Вывести один объект JSON
cli-roundtrip-sent = Отправлено на { $to } с меткой { $token }.
cli-roundtrip-arrived = Пришло в { $folder } через { $delay }.
cli-roundtrip-hop = узел { $number }: { $from } → { $by } { $with } { $delay }
cli-roundtrip-verdict = { $method }: { $result } ({ $by })

## IMAP check (issue 14, wt-imap)
diag-imap-login-disabled = Сервер не даёт войти через это соединение: он сообщает LOGINDISABLED или не принимает пароль без шифрования и не предлагает другого подходящего способа ({ $offered }).
diag-imap-login-disabled-hint = { $starttls ->
    [yes] Сервер предлагает STARTTLS: выберите для входящего сервера защиту STARTTLS на порту { $port }.
   *[no] Используйте для входящего сервера SSL/TLS (порт 993) или STARTTLS (порт 143).
}
diag-mailbox-not-found = В этом ящике нет папки { $name }.
diag-mailbox-not-found-hint = Проверьте имя папки (INBOX для входящих; остальные — как их показывает почтовая программа, регистр может иметь значение).
diag-imap-account-disabled = Провайдер отключил IMAP для этой учётной записи или требует сначала войти через браузер: { $reply }
diag-imap-account-disabled-hint = Войдите в веб-почту, разрешите доступ по IMAP в её настройках (и подтвердите там запрос безопасности, если он есть), затем проверьте снова.
check-detail-imap-preauth = сервер уже выполнил вход (PREAUTH)
check-detail-imap-login = вход выполнен через { $mechanism }
check-detail-imap-selected = { $name }: писем { $exists }, UIDVALIDITY { $uidvalidity }
check-detail-imap-selected-quota = { $name }: писем { $exists }, UIDVALIDITY { $uidvalidity }, занято { $used } из { $limit } КиБ
check-detail-imap-malformed = не ответ IMAP: { $line }
check-detail-imap-literal-too-large = сервер объявил { $size } байт данных, а принимается не больше { $limit }
cli-check--imap = Проверить входящий сервер (IMAP) вместо исходящего
cli-check--folder = Папка, которую открывает проверка IMAP (по умолчанию INBOX)
cli-imap-bad-auth = --auth { $auth } не является способом входа IMAP
cli-imap-no-host = У профиля { $name } не указан входящий сервер (IMAP)
check-detail-marked-deleted = помечено удалённым (у сервера нет UIDPLUS, поэтому оно не стёрто)

## Bulk checks (outbound bulk)
bulk-row-error = строка { $line }: { $reason }
bulk-row-no-address = нет адреса
bulk-row-bad-address = «{ $value }» — не почтовый адрес
bulk-row-bad-port = порт «{ $value }» — не число от 1 до 65535
bulk-row-bad-security = защита «{ $value }» — не none, starttls или tls
bulk-row-field-count = полей { $found }, а в заголовке { $expected }
bulk-row-open-quote = кавычка открыта и не закрыта
bulk-list-too-big = Список занимает { $size } байт; читается не больше { $max }. Разделите его на файлы поменьше.
bulk-list-not-text = Список — не текст UTF-8 (строка { $line }). Сохраните его из таблицы как «CSV UTF-8».
bulk-list-no-address-column = В строке заголовка нет столбца «address» (первая строка называет столбцы: address и, по желанию, password, user, host, port, security, profile).
bulk-list-empty = В списке нет почтовых ящиков.
bulk-no-server = строка { $line }: сервер для { $address } неизвестен: укажите столбец host или профиль-шаблон (--template).
bulk-no-template = строка { $line }: сохранённого профиля «{ $name }» нет.
bulk-report-title = Outbound: массовая проверка
bulk-report-code = Результат
bulk-report-count = Ящиков
bulk-report-skipped = Непроверенные строки
bulk-report-line = строка
cli-bulk = Проверить много почтовых ящиков по списку CSV или TSV (столбцы address и, по желанию, password, user, host, port, security, profile), по нескольку сразу, и записать отчёт
cli-bulk--file = Список: CSV или TSV со строкой заголовка или по одному адресу в строке
cli-bulk--template = Сохранённый профиль, настройки сервера которого дополняют то, чего нет в строке
cli-bulk--concurrency = Сколько проверок идёт одновременно (от 1 до 64; не больше 4 сразу на один сервер)
cli-bulk--report = Записать отчёт в этот файл: .html, .csv или .json
cli-bulk--json = Вывести весь прогон одним объектом JSON в конце
cli-bulk-report-format = { $path }: отчёт записывается как .html, .csv или .json; укажите одно из этих расширений.
cli-bulk-line = строка { $line }
cli-bulk-cancelled = Отменено: проверено { $done } из { $total } ящиков.
cli-bulk-skipped = строк не проверено (см. выше)

## Домен отправителя (core::domain): что DNS говорит о домене адреса отправителя
domain-title = Домен отправителя { $domain }
domain-timed-out = ответ не пришёл вовремя
domain-dmarc-several = опубликовано больше одной записи DMARC
domain-dmarc-no-policy = в записи нет допустимой политики p=
domain-mx-found = Почта для { $domain } идёт на { $hosts }.
domain-hint-mx-found = Ответы и уведомления о недоставке на адрес отправителя смогут дойти.
domain-mx-none = У { $domain } нет записи MX.
domain-hint-mx-none = Тогда ответы и уведомления о недоставке идут на адрес самого домена, если он вообще принимает почту; попросите владельца домена опубликовать запись MX.
domain-mx-null = { $domain } сообщает, что не принимает почту (пустая запись MX).
domain-hint-mx-null = Ответы и уведомления о недоставке этому отправителю не дойдут, а многие получатели отклоняют почту от такого домена; отправляйте с адреса домена, который принимает почту.
domain-mx-lookup-failed = Не удалось получить записи MX для { $domain }: { $reason }.
domain-hint-mx-lookup-failed = Проверьте DNS в сети; на саму проверку это не влияет.
domain-spf-pass = Запись SPF домена { $domain } разрешает серверу ({ $address }) отправлять от его имени.
domain-hint-spf-pass = Ничего делать не нужно.
domain-spf-unchecked = { $domain } публикует запись SPF; адреса SMTP-сервера, с которым её сравнить, нет.
domain-hint-spf-unchecked = Откуда почта уходит с этого компьютера, решает локальная почтовая система; её внешний адрес должен быть разрешён этой записью.
domain-spf-fail = Запись SPF домена { $domain } не разрешает серверу ({ $address }) отправлять от его имени и велит отклонять такую почту.
domain-hint-spf-fail = Получатели отклонят такую почту или отправят её в спам. Добавьте в запись { $domain } include провайдера (или адрес сервера) либо отправляйте через сервер, который указан в записи домена.
domain-spf-softfail = Запись SPF домена { $domain } не разрешает серверу ({ $address }) отправлять от его имени (~all: считать подозрительной).
domain-hint-spf-softfail = Такая почта скорее всего попадёт в спам. Добавьте в запись { $domain } include провайдера (или адрес сервера).
domain-spf-neutral = Запись SPF домена { $domain } ничего не говорит о сервере ({ $address }).
domain-hint-spf-neutral = SPF ничем не поможет получателям этой почты; добавьте в запись адрес сервера или include провайдера и завершите её -all или ~all.
domain-spf-none = { $domain } не публикует запись SPF.
domain-hint-spf-none = Многие получатели считают почту от домена без SPF подозрительной. Опубликуйте TXT-запись, начинающуюся с v=spf1, в которой перечислены серверы, которым разрешено отправлять.
domain-spf-too-many-lookups = Запись SPF домена { $domain } требует больше { $limit } запросов DNS, поэтому получатели считают её неисправной.
domain-hint-spf-too-many-lookups = Уберите include, которые больше не нужны, или замените часть из них диапазонами ip4:/ip6:, которые за ними стоят.
domain-spf-permerror = Запись SPF домена { $domain } невозможно вычислить: { $reason }.
domain-hint-spf-permerror = Получатели считают такую запись неисправной; исправьте её (одна запись v=spf1, допустимые элементы).
domain-spf-temperror = Не удалось проверить запись SPF домена { $domain }: { $reason }.
domain-hint-spf-temperror = Запрос DNS не удался или занял слишком много времени; повторите позже. На саму проверку это не влияет.
domain-dmarc-reject = Политика DMARC домена { $domain } — reject: получатели отклоняют почту, не прошедшую SPF и DKIM.
domain-hint-dmarc-reject = Убедитесь, что каждый сервер, отправляющий от имени домена, проходит SPF или подписывает письма DKIM.
domain-dmarc-quarantine = Политика DMARC домена { $domain } — quarantine: почта, не прошедшая SPF и DKIM, попадает в спам.
domain-hint-dmarc-quarantine = Убедитесь, что каждый сервер, отправляющий от имени домена, проходит SPF или подписывает письма DKIM.
domain-dmarc-none = Политика DMARC домена { $domain } — none: получатели только присылают отчёты и ничего не предпринимают.
domain-hint-dmarc-none = Когда отчёты покажут, что вся настоящая почта проходит проверку, перейдите на p=quarantine или p=reject.
domain-dmarc-missing = { $domain } не публикует политику DMARC.
domain-hint-dmarc-missing = Крупные почтовые службы ждут её от отправителей; опубликуйте TXT-запись в _dmarc.{ $domain }, например «v=DMARC1; p=none; rua=mailto:…».
domain-dmarc-invalid = Запись DMARC домена { $domain } недействительна: { $reason }.
domain-hint-dmarc-invalid = Получатели её не учитывают; опубликуйте в _dmarc.{ $domain } одну запись, начинающуюся с v=DMARC1, с p=none, quarantine или reject.
domain-dmarc-lookup-failed = Не удалось получить политику DMARC домена { $domain }: { $reason }.
domain-hint-dmarc-lookup-failed = Проверьте DNS в сети; на саму проверку это не влияет.
domain-mta-sts-present = { $domain } публикует MTA-STS: почта для него должна идти только по проверенному TLS.
domain-hint-mta-sts-present = Ничего делать не нужно.
domain-mta-sts-absent = { $domain } не публикует MTA-STS.
domain-hint-mta-sts-absent = Необязательно: MTA-STS (TXT-запись _mta-sts и файл политики) не даёт прочитать или перенаправить почту для домена по дороге.
domain-mta-sts-lookup-failed = Не удалось узнать, публикует ли { $domain } MTA-STS: { $reason }.
domain-hint-mta-sts-lookup-failed = Проверьте DNS в сети; на саму проверку это не влияет.
domain-tls-rpt-present = { $domain } просит присылать отчёты о TLS (TLS-RPT).
domain-hint-tls-rpt-present = Ничего делать не нужно.
domain-tls-rpt-absent = { $domain } не просит присылать отчёты о TLS (TLS-RPT).
domain-hint-tls-rpt-absent = Необязательно: TXT-запись в _smtp._tls.{ $domain } («v=TLSRPTv1; rua=mailto:…») позволяет другим серверам сообщать о неудачных доставках по TLS.
domain-tls-rpt-lookup-failed = Не удалось узнать, просит ли { $domain } отчёты о TLS: { $reason }.
domain-hint-tls-rpt-lookup-failed = Проверьте DNS в сети; на саму проверку это не влияет.
## Быстрая проверка (первый экран) и `outbound test`
nav-quick = Быстрая проверка
quick-title = Быстрая проверка
quick-intro = Проверьте ящик по адресу и паролю, не создавая профиль. Ничего не сохраняется, пока вы не нажмёте «Сохранить как профиль».
quick-address = Адрес эл. почты
quick-password-session = Пароль хранится, только пока открыто окно.
quick-test = Проверить
quick-found = Найдено: { $smtp } ({ $source })
quick-show-settings = Показать настройки
quick-hide-settings = Скрыть настройки
quick-outgoing = Исходящая (SMTP)
quick-incoming = Входящая (IMAP)
quick-no-incoming = Сервер входящей почты для этого адреса неизвестен.
quick-save = Сохранить как профиль
quick-sign-in-needed = { $provider } использует вход через браузер (OAuth2).
quick-sign-in-hint = Войдите, чтобы проверить ящик: вход хранится только до конца сеанса, а в связке ключей — только если сохранить настройки как профиль.
cli-test = Быстрая проверка ящика: найти настройки, затем сразу проверить отправку и получение
cli-test--address = Адрес эл. почты
cli-test--password-stdin = Прочитать пароль со стандартного ввода
cli-test--password-env = Прочитать пароль из этой переменной окружения
cli-test--json = Вывести JSON
cli-test--no-imap = Проверить только исходящую сторону (SMTP)
cli-test-settings = Настройки для { $address } (источник: { $source }):
cli-test-smtp = Исходящая (SMTP): { $host }:{ $port } { $security }, пользователь { $user }, вход { $auth }
cli-test-imap = Входящая (IMAP): { $host }:{ $port } { $security }, пользователь { $user }, вход { $auth }
cli-test-no-imap = Входящая (IMAP): сервер для этого адреса неизвестен
cli-test-no-password = Для быстрой проверки нужен пароль: укажите --password-env ПЕРЕМЕННАЯ или --password-stdin
## Вход OAuth 2.0 (задача 13)
cli-profile-sign-in = Войти в профиль через провайдера (OAuth 2.0) и сохранить токены в связке ключей
cli-profile-sign-in--name = Имя профиля
cli-profile-sign-in--device = Войти с кодом, введённым на другом устройстве (для машины без браузера)
cli-profile-sign-in--no-browser = Напечатать адрес входа, не открывая браузер
cli-profile-sign-out = Удалить токены входа профиля из связки ключей
cli-profile-sign-out--name = Имя профиля
cli-oauth-device = Откройте { $url } на любом устройстве и введите код { $code }. Ожидание входа…
cli-oauth-browser = Войдите в браузере по адресу ниже; ожидание до { $seconds } с…
cli-oauth-signed-in = Вход в { $name } выполнен; токены в связке ключей
cli-oauth-signed-out = Токены входа профиля { $name } удалены из связки ключей
diag-oauth-sign-in-required = Вход в { $name } больше не действует: провайдер отказался его продлить ({ $reply }).
diag-oauth-sign-in-required-hint = Войдите снова: outbound profile sign-in { $name } (или «Войти» в окне). Смена пароля или отзыв доступа завершают вход.
oauth-not-configured = У провайдера этого профиля нет настроек OAuth 2.0 в разделе «Провайдеры и домены».
oauth-no-client-id = В настройках OAuth 2.0 провайдера нет идентификатора клиента: зарегистрируйте приложение у провайдера (публичный клиент с адресом перенаправления http://127.0.0.1) и введите его идентификатор в разделе «Провайдеры и домены».
oauth-no-device-url = В настройках OAuth 2.0 провайдера нет адреса авторизации устройства; войдите через браузер.
oauth-not-signed-in = Вход в профиль не выполнен.
oauth-sign-in-required = Вход больше не действует; войдите снова. { $reason }
oauth-refused = Сервер авторизации отказал: { $reason }
oauth-state-mismatch = Ответ, пришедший в Outbound, не относится к этому входу (неверный state); он отклонён.
oauth-issuer-mismatch = Ответ, пришедший в Outbound, выдан другим сервером авторизации ({ $found }); он отклонён.
oauth-expired = Вход не был завершён вовремя.
oauth-http = { $url }: { $reason }
oauth-bad-answer = { $url } дал ответ, который Outbound не понимает: { $reason }
oauth-listener = Локальный приёмник входа не работает: { $reason }
oauth-browser-done = Вход выполнен. Закройте это окно и вернитесь в Outbound.
oauth-browser-failed = Во входе отказано. Причина — в Outbound.
## Bulk check page (window)
nav-bulk = Массовая проверка
bulk-heading = Проверка многих ящиков
bulk-intro = Список CSV или TSV со строкой заголовков: address и по желанию password, user, host, port, security, profile. Профиль-шаблон дополняет то, чего нет в строке. Пароли из списка нужны только для проверок: они не показываются, не попадают в журнал и никуда не записываются.
bulk-list = Список
bulk-choose-list = Выбрать список…
bulk-no-list = Список не выбран
bulk-template = Профиль-шаблон
bulk-template-none = (нет)
bulk-concurrency = Одновременно
bulk-concurrency-invalid = число от 1 до { $max }
bulk-start = Запустить
bulk-progress = Проверено { $done } из { $total }
bulk-ok-count = в порядке: { $ok }
bulk-eta = осталось около { $seconds } с
bulk-finished = Готово.
bulk-cancelled = Отменено: уже проверенные строки остались ниже, остальные не проверялись.
bulk-summary-heading = Результаты по диагнозам
bulk-filter-all = Все
bulk-column-line = Строка
bulk-column-address = Адрес
bulk-column-server = Сервер
bulk-column-code = Результат
bulk-column-time = Время
bulk-export = Сохранить отчёт…
bulk-copy = Копировать текстом
bulk-exported = Отчёт записан в { $file }
ms-value = { $ms } мс
check-waterfall = На что ушло время
check-waterfall-total = всего { $ms } мс
path-prompt-bulk-list = Список ящиков (CSV или TSV)
path-prompt-bulk-report = Файл отчёта (.html, .csv или .json)
cli-bulk--password-command = Для строк без пароля: программа, запускаемая с адресом строки последним аргументом; первая выведенная ею строка — пароль
cli-bulk-password-command = --password-command: { $reason }
cli-bulk-progress = { $done }/{ $total } · в порядке { $ok } · с проблемами { $problems } · осталось около { $left } с
bulk-password-command-empty = команда получения пароля пуста
bulk-password-command-start = не удаётся запустить команду получения пароля { $program }: { $reason }
bulk-password-command-timeout = команда получения пароля { $program } не выдала пароль за { $secs } с
bulk-password-command-failed = команда получения пароля { $program } завершилась с ошибкой ({ $status })
bulk-password-command-nothing = команда получения пароля { $program } не вывела пароль

# NTLM (issue 16)
auth-ntlm = Проверка подлинности Windows (NTLM)
check-ntlm-identity = NTLM входит как пользователь «{ $user }» в домене «{ $domain }»
check-ntlm-identity-no-domain = NTLM входит как пользователь «{ $user }» без домена (сервер подставит свой)

# Вход OAuth на вкладке SMTP (задача 13)
field-oauth = Вход
oauth-signed-in = Вход выполнен как { $account } (токен действует до { $until })
oauth-no-expiry = срок не указан
oauth-signed-out = Вход не выполнен
oauth-state-unknown = Запрос к связке ключей…
oauth-sign-in = Войти
oauth-sign-out = Выйти
oauth-cancel = Отмена
oauth-waiting = Ожидание ответа браузера: осталось { $seconds } с
oauth-needs-saved-profile = Сначала сохраните профиль: вход хранится в связке ключей под его именем.
oauth-random = Система не выдала случайные числа для входа: { $reason }
check-ntlm-no-nonce = NTLM нужны случайные числа и время этого компьютера, а он их не выдал (нет источника случайных чисел или часы стоят раньше 1970 года).
check-apply-sign-in = Войти через провайдера
login-choice-sign-in = Войти (OAuth 2.0)
login-choice-sign-in-google = Аккаунт Google (вход)
login-choice-sign-in-microsoft = Учётная запись Microsoft (вход)
login-choice-password = Пароль
login-choice-app-password = Пароль приложения
login-choice-basic-password = Пароль (Basic, если организация ещё разрешает)
login-choice-app-password-hint = Пароль приложения требует двухэтапной аутентификации в аккаунте Google: создайте его в разделе «Аккаунт Google → Безопасность → Пароли приложений» и введите как пароль.
oauth-no-browser = Браузер не открылся ({ $reason }). Откройте этот адрес в браузере на этом компьютере:
oauth-copy-url = Скопировать адрес входа
quick-or-log-in-with = Или вместо входа:
provider-oauth-register = Для входа один раз зарегистрируйте приложение у провайдера: публичный клиент (настольное или мобильное приложение, без секрета), адрес перенаправления http://127.0.0.1 (любой порт) и области доступа ниже; укажите здесь его идентификатор клиента или разверните его в системном каталоге. Outbound не поставляет своего идентификатора: идентификатор, зарегистрированный для другой программы, использовать нельзя.
provider-device-url = Адрес входа с другого устройства
provider-tenant = Клиент (tenant) Microsoft
spf-problem-not-spf1 = это не запись v=spf1
spf-problem-bad-term = «{ $what }» — недопустимый элемент
spf-problem-redirect-twice = redirect= указан дважды
spf-problem-no-domain = в «{ $what }» не указан домен
spf-problem-no-address = в «{ $what }» не указан адрес
spf-problem-bad-address = в «{ $what }» нет правильного адреса
spf-problem-other-family = в «{ $what }» адрес другого семейства (IPv4/IPv6)
spf-problem-bad-prefix = в «{ $what }» неверная длина префикса
spf-problem-bad-macro = в «{ $what }» неверный макрос
spf-problem-several-records = у { $what } больше одной записи v=spf1
spf-problem-too-many-void = больше { $limit } запросов ничего не нашли (последний: { $name })
spf-problem-include-without-record = у include:{ $what } нет записи SPF
spf-problem-redirect-without-record = у redirect={ $what } нет записи SPF
spf-problem-too-many-mx = у { $name } больше { $limit } MX-серверов
spf-problem-in-record = { $domain }: { $problem }

# Kerberos / GSSAPI (issue 16)
auth-gssapi = Проверка подлинности Windows (Kerberos)
check-gssapi-unavailable = GSSAPI (Kerberos) на этом компьютере недоступен: не удалось загрузить системную библиотеку GSSAPI ({ $reason }). В Debian и Ubuntu это пакет libgssapi-krb5-2.
check-gssapi-no-sspi = Kerberos через SSPI Windows пока не поддерживается
check-gssapi-not-used = Kerberos не использован: { $reason }
check-gssapi-signed-in = GSSAPI как { $client } для { $server }: { $reply }
diag-kerberos-no-ticket = { $found ->
    [expired] Срок действия билета Kerberos истёк, войти на { $name } с ним нельзя ({ $reply }).
    [none] Нет билета Kerberos, чтобы войти на { $name } ({ $reply }).
   *[other] Не удалось получить билет Kerberos для { $name } ({ $reply }).
}
diag-kerberos-no-ticket-hint = Снова войдите в домен или получите новый билет командой kinit (klist покажет имеющиеся билеты). Пароль в профиле для Kerberos не нужен.
diag-kerberos-clock-skew = Часы этого компьютера и часы { $host } или контроллера домена расходятся больше, чем допускает Kerberos ({ $reply }).
diag-kerberos-clock-skew-hint = Поставьте часы правильно: включите автоматическую синхронизацию времени (NTP). Kerberos допускает расхождение примерно в пять минут.
diag-kerberos-unknown-server = В области Kerberos нет служебного принципала { $name } ({ $reply }).
diag-kerberos-unknown-server-hint = Имя сервера должно совпадать с его принципалом: укажите имя, под которым сервер зарегистрирован (обычно полное имя, а не IP-адрес или псевдоним), или попросите администратора зарегистрировать smtp/{ $host }.
send-not-queued = не отправлено ({ $reason }), и очередь не смогла его сохранить: { $error }
quick-directory-damaged = Ваш каталог провайдеров не читается, поэтому использованы только встроенные записи: { $reason }

# Отчёт одной проверки (`outbound check --report`) и его части, общие с отчётом массовой проверки.
cli-check--report = Также записать отчёт в этот файл: .html (одна страница, читается без сети), .json или .csv
report-check-title = Outbound: проверка { $target }
report-steps = Шаги
bulk-report-rows = Проверенные ящики
oauth-needs-settings-folder = Для входа нужна папка настроек (с каталогом провайдеров), а её не удалось открыть.
quick-save-no-store = Не сохранено: папку настроек не удалось открыть, профиль негде хранить.
check-gssapi-layer-length = сообщение сервера о защитном слое GSSAPI не длиной 4 октета
check-gssapi-layer-required = сервер требует защитный слой GSSAPI, а Outbound его не предлагает (он полагается на TLS)
check-gssapi-crashed = системная библиотека GSSAPI дала сбой внутри вызова ({ $reason })
